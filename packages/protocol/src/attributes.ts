// Agent attributes (`--attributes "rack:r1;zone:a;level:3"`), as Mesos parses them:
// numbers become scalars, `[a-b]` ranges, `{a,b}` sets, anything else text.
import { ValidationError } from './errors.js';
import { mesocosm } from './generated/proto.js';
import { coalesceRanges, type Range } from './resources.js';

type IAttribute = mesocosm.v1.IAttribute;
const ValueType = mesocosm.v1.Value.Type;

/** Parses an attribute string into wire attributes. */
export function parseAttributes(text: string): IAttribute[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((part): IAttribute => {
      const i = part.indexOf(':');
      if (i <= 0) throw new ValidationError('attributes', `'${part}' is not 'name:value'`);
      const name = part.slice(0, i).trim();
      const value = part.slice(i + 1).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name))
        throw new ValidationError('attributes', `'${name}' is not a valid attribute name`);
      if (/^-?\d+(\.\d+)?$/.test(value)) return { name, type: ValueType.SCALAR, scalar: { value: Number(value) } };
      if (value.startsWith('[') && value.endsWith(']')) {
        const ranges = value
          .slice(1, -1)
          .split(',')
          .map((r): Range => {
            const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(r);
            if (!m) throw new ValidationError('attributes', `'${r}' in '${part}' is not a range`);
            return [Number(m[1]), Number(m[2])];
          });
        return {
          name,
          type: ValueType.RANGES,
          ranges: { range: coalesceRanges(ranges).map(([b, e]) => ({ begin: b, end: e })) },
        };
      }
      if (value.startsWith('{') && value.endsWith('}')) {
        return {
          name,
          type: ValueType.SET,
          set: {
            item: value
              .slice(1, -1)
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
          },
        };
      }
      return { name, type: ValueType.TEXT, text: { value } };
    });
}

/** An attribute's value as text, the way constraints compare it (`r1`, `3`, `[1-2]`, `{a,b}`). */
export function attributeValue(attr: IAttribute): string {
  switch (attr.type ?? ValueType.TEXT) {
    case ValueType.SCALAR:
      return String(attr.scalar?.value ?? 0);
    case ValueType.RANGES:
      return `[${(attr.ranges?.range ?? []).map((r) => `${Number(r.begin)}-${Number(r.end)}`).join(',')}]`;
    case ValueType.SET:
      return `{${(attr.set?.item ?? []).join(',')}}`;
    default:
      return attr.text?.value ?? '';
  }
}

/** Attributes as a plain name -> text map (state endpoints, constraint matching). */
export function attributesToRecord(attrs: readonly IAttribute[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attrs ?? []) if (a.name) out[a.name] = attributeValue(a);
  return out;
}
