// The CLI's version: the project's (a unit test checks that it matches package.json).
export const CLI_VERSION = "0.1.0";
