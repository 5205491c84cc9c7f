// @forge/eval: evaluation from outcomes. Pure: the CLI reads sessions, scores and git, and writes the files.

export { compareGroups, compareDimensions, groupOf, smallGroupAttempts } from './compare-groups.js';
export type { CompareDimension, CompareGroup, CompareGroupsOptions, CompareResult } from './compare-groups.js';
export { sessionCost } from './session-cost.js';
export type { SessionCost } from './session-cost.js';
export { wilsonInterval } from './wilson-interval.js';
export { scenarioFiles } from './scenario-files.js';
export type { Scenario } from './scenario-files.js';
export { chooseScenarios, defaultPatrolMinScore, patrolRoles } from './choose-scenarios.js';
export type { ChooseScenariosOptions, ScenarioChoice } from './choose-scenarios.js';
