import { library } from '../../tsup.preset.ts';

export default [
  // The library; its clean leaves the extension bundles of the second build alone.
  library({ clean: ['!extensions/**'] }),
  // One self-contained ES module per extension (shell-quote and the bead id rules inlined), for
  // pi's and omp's extensions folders.
  library({
    entry: {
      'forge-training-capture': 'src/extensions/forge-training-capture.ts',
      'forge-outcome-tagging': 'src/extensions/forge-outcome-tagging.ts',
    },
    outDir: 'dist/extensions',
    dts: false,
    sourcemap: false,
    splitting: false,
    noExternal: [/.*/u],
  }),
];
