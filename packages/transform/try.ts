import { createDatasetBuilder } from './src/index.ts';
import { allSessionFixtures } from './src/test-support/fixtures.ts';
const builder = await createDatasetBuilder({ redaction: { homeDirectory: '/home/alice', userName: 'alice' }, validationRatio: 0.3 });
for (const s of allSessionFixtures()) console.log(await builder.addSession(s));
const r = builder.finish();
for (const [f, l] of Object.entries(r.formats)) { console.log('==', f, l.train.length, l.validation.length); for (const line of [...l.train, ...l.validation]) console.log(line); }
console.log(JSON.stringify(r.datasetInfo, null, 1)); console.log(r.axolotlYaml); console.log(JSON.stringify(r.manifest, null, 1));
