import { describe, expect, it } from 'vitest';
import { headRecords } from './head-records.js';

describe('headRecords', () => {
  it('should parse the first lines, skipping blank ones and marking bad ones', () => {
    const head = Buffer.from('\n{"a":1}\nnot json\n\n{"b":2}\n{"c":3}\n');
    expect(headRecords(head, 3)).toEqual({ values: [{ a: 1 }, undefined, { b: 2 }] });
  });

  it('should read CRLF line endings and a UTF-8 byte-order mark', () => {
    expect(headRecords(Buffer.from('\uFEFF{"a":1}\r\n{"b":"x"}\r\n'))).toEqual({ values: [{ a: 1 }, { b: 'x' }] });
  });

  it('should keep a last line the head cut off as partial, and take an unterminated one that parses', () => {
    expect(headRecords(Buffer.from('{"a":1}\n{"type":"sess'))).toEqual({ values: [{ a: 1 }], partial: '{"type":"sess' });
    expect(headRecords(Buffer.from('{"a":1}\n{"b":2}'))).toEqual({ values: [{ a: 1 }, { b: 2 }] });
  });
});
