// Draws Digit Lab's icons into web/icons/ from one 8×8 image: the first digit of the data
// set (a 0, pixel values 0–16), light on the page's accent blue, as the lab shows its
// samples. Writes icon.svg and the PNGs the web app manifest names (192 and 512 px, square
// and full-bleed, with the digit inside the central 80% that "maskable" icons keep).
// Run by hand after changing it: `node scripts/icons.mjs`; its output is committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const DIGIT = [
  [0, 0, 5, 13, 9, 1, 0, 0],
  [0, 0, 13, 15, 10, 15, 5, 0],
  [0, 3, 15, 2, 0, 11, 8, 0],
  [0, 4, 12, 0, 0, 8, 8, 0],
  [0, 5, 8, 0, 0, 9, 8, 0],
  [0, 4, 11, 0, 1, 12, 7, 0],
  [0, 2, 14, 5, 10, 12, 0, 0],
  [0, 0, 6, 13, 10, 0, 0, 0],
];
const BACKGROUND = [0x00, 0x72, 0xb2]; // --accent in web/style.css
const INK = [0xff, 0xff, 0xff];
/** The icon is 12 cells wide: the 8×8 digit with 2 cells of background around it. */
const CELLS = 12;
const MARGIN = 2;
const OUT = new URL('../web/icons/', import.meta.url);

/** The colour of a pixel of value 0..16. */
const shade = (value) => BACKGROUND.map((b, i) => Math.round(b + ((INK[i] - b) * value) / 16));
const hex = (rgb) => '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');

function svg() {
  const cells = DIGIT.flatMap((row, y) =>
    row.map((value, x) =>
      value ? `<rect x="${x + MARGIN}" y="${y + MARGIN}" width="1" height="1" fill="${hex(shade(value))}"/>` : '',
    ),
  ).filter(Boolean);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CELLS} ${CELLS}" shape-rendering="crispEdges">
<rect width="${CELLS}" height="${CELLS}" fill="${hex(BACKGROUND)}"/>
${cells.join('\n')}
</svg>
`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `size`×`size` RGB PNG of the icon. */
function png(size) {
  const cell = size / CELLS;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0]; // filter: none
    for (let x = 0; x < size; x++) {
      const [cx, cy] = [Math.floor(x / cell) - MARGIN, Math.floor(y / cell) - MARGIN];
      row.push(...shade(DIGIT[cy]?.[cx] ?? 0));
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(new URL('icon.svg', OUT), svg());
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, OUT), png(size));
