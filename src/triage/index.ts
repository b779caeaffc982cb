/**
 * The triage core's public API. Everything else in src/triage is internal: other folders and
 * the CLI import from here only (enforced by lint).
 */
export {
  interpretAnswer,
  parseChoice,
  parseNumber,
  parseYesNo,
  isUnsure,
  type AnswerResult,
} from './answers.js';
export {
  dataPaths,
  knownPathwayKeys,
  loadBundle,
  loadDispositions,
  loadPathway,
  loadPathwayDir,
  loadRedFlags,
  type CheckedPathway,
  type DataPaths,
  type TriageBundle,
} from './bundle.js';
export { PathwayCatalogue } from './catalogue.js';
export { checkPathway, validBounds } from './check.js';
export {
  applyAnswer,
  compilePathway,
  currentNode,
  machineId,
  outcomeOf,
  reasonsFor,
  startPathway,
  type PathwayContext,
  type PathwayMachine,
  type PathwayOutcome,
  type PathwaySnapshot,
  type RecordedAnswer,
} from './compile.js';
export {
  applies,
  ComplaintIndex,
  type ComplaintCandidate,
  type ComplaintMatch,
  type PatientFacts,
} from './complaint.js';
export { pathwayDiagram } from './diagram.js';
export {
  CATEGORIES,
  DispositionScale,
  SERVICE_TYPES,
  type Category,
  type Disposition,
  type ServiceType,
} from './disposition.js';
export { formatPathwayError, hasErrors, type PathwayError } from './errors.js';
export type { PathwayEvent } from './events.js';
export {
  fileId,
  listPathwayFiles,
  listScenarioFiles,
  loadYamlFile,
  type Loaded,
  type SourceMap,
} from './load.js';
export {
  pathwayJsonSchema,
  PathwaySchema,
  type ChoiceNode,
  type NumberNode,
  type OutcomeNode,
  type Pathway,
  type PathwayNode,
  type QuestionNode,
  type YesNoNode,
} from './pathway.schema.js';
export {
  eventsFor,
  summarisePaths,
  walkPaths,
  type OutcomePaths,
  type PathSummary,
} from './paths.js';
export { RedFlagDetector, type RedFlag, type RedFlagHit } from './red-flags.js';
export { normalise } from './text.js';
export { runScenarioFile, type ScenarioResult, type ScenarioRun } from './scenarios.js';
