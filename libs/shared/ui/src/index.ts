/** `@cetate/shared-ui`: the shell/remote contract and the Romanian formats shared by every UI app. */
export * from './remote-contract.js';
export * from './format.js';
export * from './problem.js';
