import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeDataUrlImage } from '../../core/images/data-url-image.ts';
import { InvalidRequestError } from '../../core/errors/invalid-request-error.ts';
import { sniffImageType } from '../../core/images/image-types.ts';
import { dataUrl, GIF, JPEG, PNG, WEBP } from './image-bytes.ts';

const param = 'messages[0].content[1].image_url.url';
const limit = 1024;

// [what, url, expected: {mimeType, bytes} or a RegExp the 400's message must match]
const cases: Array<[string, string, { mimeType: string; bytes: number } | RegExp]> = [
  ['a PNG', dataUrl('image/png', PNG), { mimeType: 'image/png', bytes: PNG.length }],
  ['a JPEG', dataUrl('image/jpeg', JPEG), { mimeType: 'image/jpeg', bytes: JPEG.length }],
  ['a GIF', dataUrl('image/gif', GIF), { mimeType: 'image/gif', bytes: GIF.length }],
  ['a WEBP', dataUrl('image/webp', WEBP), { mimeType: 'image/webp', bytes: WEBP.length }],
  ['image/jpg is read as image/jpeg', dataUrl('image/jpg', JPEG), { mimeType: 'image/jpeg', bytes: JPEG.length }],
  ['upper-case type and extra parameters', `data:IMAGE/PNG;name=a.png;base64,${PNG.toString('base64')}`, { mimeType: 'image/png', bytes: PNG.length }],
  ['a JPEG labelled image/png goes on as image/jpeg', dataUrl('image/png', JPEG), { mimeType: 'image/jpeg', bytes: JPEG.length }],
  ['unpadded base64', `data:image/png;base64,${PNG.toString('base64').replace(/=+$/, '')}`, { mimeType: 'image/png', bytes: PNG.length }],
  ['line breaks inside the base64', `data:image/png;base64,${PNG.toString('base64').replace(/(.{16})/g, '$1\n')}`, { mimeType: 'image/png', bytes: PNG.length }],
  ['exactly at the limit', dataUrl('image/png', Buffer.concat([PNG, Buffer.alloc(limit - PNG.length)])), { mimeType: 'image/png', bytes: limit }],
  ['text/plain', dataUrl('text/plain', Buffer.from('hello')), /type text\/plain, which is not an accepted image type/],
  ['image/svg+xml (scripts inside)', dataUrl('image/svg+xml', Buffer.from('<svg/>')), /type image\/svg\+xml/],
  ['no type at all', `data:;base64,${PNG.toString('base64')}`, /type text\/plain/],
  ['text disguised as PNG', dataUrl('image/png', Buffer.from('<html><body>not an image</body></html>')), /claims image\/png but holds no image data/],
  ['HTML disguised as JPEG', dataUrl('image/jpeg', Buffer.from('<script>alert(1)</script>')), /claims image\/jpeg but holds no image data/],
  ['an empty payload', 'data:image/png;base64,', /holds no image data/],
  ['one byte over the limit', dataUrl('image/png', Buffer.concat([PNG, Buffer.alloc(limit + 1 - PNG.length)])), /more than the limit of 1 KiB/],
  ['far over the limit', dataUrl('image/png', Buffer.alloc(50_000)), /holds 48\.8 KiB, more than the limit of 1 KiB/],
  ['not base64 (bad characters)', 'data:image/png;base64,iVBORw0K!!!$$$', /not valid base64/],
  ['not base64 (impossible length)', 'data:image/png;base64,iVBORw0KG', /not valid base64/],
  ['not base64 (padding in the middle)', 'data:image/png;base64,iVBO=w0KGgo=', /not valid base64/],
  ['percent-encoded instead of base64', 'data:image/png,%89PNG%0D%0A', /must be base64-encoded/],
  ['no comma', 'data:image/png;base64', /malformed/],
  ['not a data URL', 'https://example.com/a.png', /malformed/],
];

describe('decodeDataUrlImage', () => {
  for (const [what, url, expected] of cases) {
    test(what, () => {
      if (expected instanceof RegExp) {
        assert.throws(
          () => decodeDataUrlImage(url, param, limit),
          (err: unknown) => err instanceof InvalidRequestError && err.status === 400 && err.param === param && expected.test(err.message),
        );
      } else {
        const image = decodeDataUrlImage(url, param, limit);
        assert.equal(image.mimeType, expected.mimeType);
        assert.equal(image.bytes, expected.bytes);
        assert.equal(image.base64.length % 4, 0, 'padded base64');
        assert.equal(Buffer.from(image.base64, 'base64').length, expected.bytes);
      }
    });
  }

  test('a profile can narrow the accepted types', () => {
    assert.throws(() => decodeDataUrlImage(dataUrl('image/gif', GIF), param, limit, ['image/png']), /type image\/gif/);
  });
});

// [what, leading bytes, sniffed type]
const sniffCases: Array<[string, Buffer, string | undefined]> = [
  ['PNG', PNG, 'image/png'],
  ['JPEG', JPEG, 'image/jpeg'],
  ['GIF89a', GIF, 'image/gif'],
  ['GIF87a', Buffer.from('GIF87a\x01\x00'), 'image/gif'],
  ['WEBP', WEBP, 'image/webp'],
  ['RIFF that is WAVE', Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt '), undefined],
  ['HEIC', Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'), 'image/heic'],
  ['HEIF', Buffer.from('\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00', 'latin1'), 'image/heif'],
  ['MP4 (ftyp isom)', Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x00\x00', 'latin1'), undefined],
  ['BMP', Buffer.concat([Buffer.from('BM'), Buffer.alloc(12), Buffer.from([40, 0, 0, 0])]), 'image/bmp'],
  ['text starting with BM', Buffer.from('BMW drivers are a famous bunch'), undefined],
  ['text', Buffer.from('hello world'), undefined],
  ['nothing', Buffer.alloc(0), undefined],
];

describe('sniffImageType', () => {
  for (const [what, bytes, expected] of sniffCases) test(what, () => assert.equal(sniffImageType(bytes), expected));
});
