// Parsers for the command outputs the check engine reads inside lab containers.
export * from './ipvsadm.js';
export * from './iproute.js';
export * from './sysctl.js';
export * from './arptables.js';
export * from './http-samples.js';
export { stripHostMask } from './text.js';
