import { describe, expect, it } from 'vitest';
import { buildCliRequest, extractMember } from '../../../src/cli/cli-client.js';
import { prettyJson } from '../../../src/cli/json-pretty.js';

describe('cli request building (lightning-cli rules)', () => {
  it('sends JSON-looking arguments raw and others as strings', () => {
    expect(buildCliRequest('sendpay', ['[]', 'ab', '18446744073709551615', 'true', '"x"'], false, 'i')).toBe(
      '{"jsonrpc":"2.0","id":"i","method":"sendpay","params":[[],"ab",18446744073709551615,true,"x"]}',
    );
  });
  it('builds named params with -k', () => {
    expect(buildCliRequest('listsendpays', ['payment_hash=00ff', 'limit=5'], true, 'i')).toBe(
      '{"jsonrpc":"2.0","id":"i","method":"listsendpays","params":{"payment_hash":"00ff","limit":5}}',
    );
    expect(() => buildCliRequest('x', ['novalue'], true, 'i')).toThrow(/key=value/);
  });
});

describe('response handling keeps u64 exact', () => {
  const reply = '{"jsonrpc":"2.0","id":"i","result":{"groupid":18446744073709551615,"s":"a,}\\"b","l":[1,{}]}}';
  it('extracts the raw result member', () => {
    expect(extractMember(reply, 'result')).toBe('{"groupid":18446744073709551615,"s":"a,}\\"b","l":[1,{}]}');
    expect(extractMember(reply, 'error')).toBeUndefined();
    expect(extractMember('{"id":1,"error":{"code":-32602,"message":"m"}}', 'error')).toBe('{"code":-32602,"message":"m"}');
  });
  it('pretty-prints without touching numbers', () => {
    expect(prettyJson('{"a":18446744073709551615,"b":[],"c":{"d":"x y"}}')).toBe(
      '{\n  "a": 18446744073709551615,\n  "b": [],\n  "c": {\n    "d": "x y"\n  }\n}',
    );
  });
});
