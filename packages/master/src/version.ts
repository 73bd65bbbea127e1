/** The master's version, reported in MasterInfo and /master/state. */
export const MASTER_VERSION = '0.1.0';
