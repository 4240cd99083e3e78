/**
 * chronyd's 32-bit floating-point wire format (candm.h `Float`): a 7-bit
 * signed exponent and a 25-bit signed coefficient, value = coef × 2^(exp−25).
 * Every float a client reads went through this, so the mock encodes with
 * chronyd's algorithm (util.c `UTI_FloatHostToNetwork`) and decodes with
 * libchrony's (message.c `get_field_float`): values round exactly as real.
 */

const EXP_BITS = 7;
const COEF_BITS = 32 - EXP_BITS;
const EXP_MIN = -(1 << (EXP_BITS - 1));
const EXP_MAX = -EXP_MIN - 1;
const COEF_MAX = (1 << (COEF_BITS - 1)) - 1;
const COEF_MASK = (1 << COEF_BITS) - 1;

/** Encodes a double as chronyd does; NaN is sent as zero. */
export function encodeFloat(value: number): number {
  let x = value;
  let negative = 0;
  if (x < 0) {
    x = -x;
    negative = 1;
  } else if (!(x >= 0)) {
    x = 0;
  }

  let exp: number;
  let coef: number;
  if (x < 1e-100) {
    exp = coef = 0;
  } else if (x > 1e100) {
    exp = EXP_MAX;
    coef = COEF_MAX + negative;
  } else {
    // C converts to int32 by truncation toward zero.
    exp = Math.trunc(Math.log(x) / Math.log(2) + 1);
    coef = Math.trunc(x * 2 ** (-exp + COEF_BITS) + 0.5);
    while (coef > COEF_MAX + negative) {
      coef >>= 1;
      exp++;
    }
    if (exp > EXP_MAX) {
      exp = EXP_MAX;
      coef = COEF_MAX + negative;
    } else if (exp < EXP_MIN) {
      if (exp + COEF_BITS >= EXP_MIN) {
        coef >>= EXP_MIN - exp;
        exp = EXP_MIN;
      } else {
        exp = coef = 0;
      }
    }
  }
  if (negative) coef = -coef & COEF_MASK;
  return ((exp << COEF_BITS) | coef) >>> 0;
}

/** 2^(exp − 25) for every exponent the format has: decoding is on every float getter's path. */
const SCALE = Float64Array.from({ length: 1 << EXP_BITS }, (_, i) => 2 ** (i + EXP_MIN - COEF_BITS));

/** Decodes a wire float as libchrony does. */
export function decodeFloat(word: number): number {
  let exp = word >>> COEF_BITS;
  if (exp >= 1 << (EXP_BITS - 1)) exp -= 1 << EXP_BITS;
  let coef = word & COEF_MASK;
  if (coef >= 1 << (COEF_BITS - 1)) coef -= 1 << COEF_BITS;
  return coef * SCALE[exp - EXP_MIN]!;
}
