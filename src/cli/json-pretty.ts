// Re-indents JSON text token by token, without parsing numbers, so u64 values (groupid,
// amounts above 2^53) print exactly as the node sent them.
export function prettyJson(text: string, indent = 2): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let emptyContainer = false;
  const nl = () => '\n' + ' '.repeat(depth * indent);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (emptyContainer) {
      emptyContainer = false;
      if (c === '}' || c === ']') {
        depth--;
        out += c;
        continue;
      }
      out += nl();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        depth++;
        out += c;
        emptyContainer = true;
        break;
      case '}':
      case ']':
        depth--;
        out += nl() + c;
        break;
      case ',':
        out += ',' + nl();
        break;
      case ':':
        out += ': ';
        break;
      default:
        out += c;
    }
  }
  return out;
}
