/** The image types vision providers take; a profile may narrow the list. */
export const DEFAULT_IMAGE_MIME_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/bmp',
];

// Spellings that servers and clients send for the same types.
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'image/x-ms-bmp': 'image/bmp',
  'image/x-bmp': 'image/bmp',
};

/** `Image/JPG; charset=binary` → `image/jpeg`; '' when absent. */
export function normalizeMimeType(contentType: string | undefined): string {
  const bare = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** How many leading bytes sniffImageType looks at. */
export const SNIFF_BYTES = 32;

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
// The sizes of the known BMP info headers; "BM" alone would let any text starting with those letters through.
const BMP_INFO_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

/**
 * The image type the bytes themselves declare, from their magic numbers; undefined when they are not one of the
 * types above. A declared type can lie (text labelled image/png); the signature is what a provider will decode.
 */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  const starts = (sig: number[]) => bytes.length >= sig.length && sig.every((x, i) => bytes[i] === x);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
    if (HEIF_BRANDS.has(brand)) return 'image/heif';
  }
  if (ascii(0, 2) === 'BM' && bytes.length >= 18) {
    const infoSize = bytes[14] | (bytes[15] << 8) | (bytes[16] << 16) | (bytes[17] << 24);
    if (BMP_INFO_SIZES.has(infoSize)) return 'image/bmp';
  }
  return undefined;
}

/** "PNG, JPEG, GIF, WEBP" for messages. */
export function describeTypes(mimeTypes: readonly string[]): string {
  return mimeTypes.map((t) => t.replace(/^image\//, '').toUpperCase()).join(', ');
}
