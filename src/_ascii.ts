/**
 * The ASCII bytes the byte-level parsers compare against, named once (RFC
 * 5234's core rule names where it has one: HTAB, LF, CR, SP, DQUOTE).
 */

export const HTAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SP = 0x20;
export const DQUOTE = 0x22;
export const COMMA = 0x2c;
export const DASH = 0x2d;
export const COLON = 0x3a;
export const SEMICOLON = 0x3b;
export const EQUALS = 0x3d;
export const BACKSLASH = 0x5c;
