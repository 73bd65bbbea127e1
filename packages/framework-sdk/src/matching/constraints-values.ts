// The text a constraint compares: hostname, or an agent attribute formatted
// as Marathon formats it (scalars to the thousandth, half-even; ranges and
// set items sorted).
import { ValueType } from '@mesocosm/protocol';
import type { IAttribute } from '@mesocosm/protocol';
import { isHostnameField } from './constraints.js';

/**
 * Where a task runs or could run, as constraints see it. An `IOffer` fits as
 * it is; so does `{ hostname, attributes }` of a running task's agent.
 * Attributes are wire attributes, or a name -> text map (numbers in the text
 * are compared as scalars).
 */
export interface Placement {
  /** The agent's hostname (the offer's). */
  hostname?: string | null;
  /** The agent's attributes: as in an offer, or as text by name (`{ rack: 'r1' }`). */
  attributes?: readonly IAttribute[] | Readonly<Record<string, string>> | null;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A scalar as Marathon prints it (Java's `DecimalFormat("0.###")`): at most
 * three decimals, rounded half-even on the double's exact value, no trailing
 * zeros. `0.8001` -> `0.8`, `1.1005` -> `1.101`, `0.0625` -> `0.062`, `3` -> `3`.
 */
export function formatScalar(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  let digits: string;
  // An exact tie at the fourth decimal is only possible for odd multiples of 1/16
  // (x * 16 is exact); toFixed would round those up, half-even wants the even neighbour.
  if (Number.isInteger(abs * 16) && (abs * 16) % 2 === 1 && abs < 2 ** 40) {
    let thousandths = Math.floor(abs * 1000);
    if (thousandths % 2 === 1) thousandths += 1;
    digits = (thousandths / 1000).toFixed(3);
  } else {
    digits = abs.toFixed(3);
  }
  const trimmed = digits.replace(/\.?0+$/, '');
  return value < 0 && trimmed !== '0' ? `-${trimmed}` : trimmed;
}

/** An attribute's value as Marathon compares it: text, scalar (see {@link formatScalar}), `[b-e,...]`, `{a,b}`. */
export function constraintAttributeValue(attr: IAttribute): string {
  switch (attr.type ?? ValueType.TEXT) {
    case ValueType.SCALAR:
      return formatScalar(attr.scalar?.value ?? 0);
    case ValueType.RANGES: {
      const ranges = [...(attr.ranges?.range ?? [])].sort((a, b) => Number(a.begin) - Number(b.begin));
      return `[${ranges.map((r) => `${Number(r.begin)}-${Number(r.end)}`).join(',')}]`;
    }
    case ValueType.SET:
      return `{${[...(attr.set?.item ?? [])].sort().join(',')}}`;
    default:
      return attr.text?.value ?? '';
  }
}

/** The value of `field` at `placement`, or `undefined` when the agent lacks that attribute. */
export function constraintFieldValue(field: string, placement: Placement): string | undefined {
  if (isHostnameField(field)) return placement.hostname ?? undefined;
  const attrs = placement.attributes;
  if (!attrs) return undefined;
  if (Array.isArray(attrs)) {
    const attr = (attrs as readonly IAttribute[]).find((a) => a.name === field);
    return attr ? constraintAttributeValue(attr) : undefined;
  }
  const text = (attrs as Readonly<Record<string, string>>)[field];
  if (text === undefined) return undefined;
  return NUMBER.test(text) ? formatScalar(Number(text)) : text;
}
