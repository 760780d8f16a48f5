/*
 * A JSON parser that keeps every number's source text. JSON.parse turns
 * 2.9999900000000002e-06 into a binary float; a price must be converted from
 * the digits the file wrote (Node 20 has no JSON.parse source access). Strict
 * RFC 8259: no comments, no trailing commas, no NaN; a problem is a JsonTextError
 * with the line and column where it is.
 */

/** A number exactly as written in the file, e.g. "2.5e-06". */
export class NumberText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type JsonTextValue = null | boolean | string | NumberText | JsonTextValue[] | { [key: string]: JsonTextValue };

export class JsonTextError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(`${reason} at line ${line}, column ${col}`);
  }
}

/** Nesting deeper than any price file; stops stack-hungry input. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonText(text: string): JsonTextValue {
  let i = 0;

  const fail = (message: string, at = i): never => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < text.length; k++) if (text.charCodeAt(k) === 10) (line++, (lineStart = k + 1));
    throw new JsonTextError(message, line, at - lineStart + 1);
  };
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(i >= text.length ? `unexpected end of input, expected '${ch}'` : `expected '${ch}', found '${text[i]}'`);
    i++;
  };

  const parseString = (): string => {
    expect('"');
    let out = "";
    let start = i;
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail("control character in string");
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const esc = text[i + 1];
      i += 2;
      switch (esc) {
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape", i - 2);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail("invalid escape in string", i - 2);
      }
      start = i;
    }
  };

  const parseValue = (depth: number): JsonTextValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skipSpace();
    const c = text[i];
    if (c === "{") {
      i++;
      // A null-prototype object: keys such as __proto__ are plain data here.
      const obj: { [key: string]: JsonTextValue } = Object.create(null) as { [key: string]: JsonTextValue };
      skipSpace();
      if (text[i] === "}") return (i++, obj);
      for (;;) {
        skipSpace();
        const key = parseString();
        skipSpace();
        expect(":");
        obj[key] = parseValue(depth + 1);
        skipSpace();
        if (text[i] === ",") (i++);
        else if (text[i] === "}") return (i++, obj);
        else fail(i >= text.length ? "unexpected end of input in an object" : `expected ',' or '}', found '${text[i]}'`);
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonTextValue[] = [];
      skipSpace();
      if (text[i] === "]") return (i++, arr);
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipSpace();
        if (text[i] === ",") (i++);
        else if (text[i] === "]") return (i++, arr);
        else fail(i >= text.length ? "unexpected end of input in an array" : `expected ',' or ']', found '${text[i]}'`);
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith("true", i)) return ((i += 4), true);
    if (text.startsWith("false", i)) return ((i += 5), false);
    if (text.startsWith("null", i)) return ((i += 4), null);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return new NumberText(m[0]);
    }
    return fail(i >= text.length ? "unexpected end of input" : `unexpected character '${text[i]}'`);
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const value = parseValue(0);
  skipSpace();
  if (i < text.length) fail("unexpected text after the JSON value");
  return value;
}
