// Draws the extension's icons from a few vector shapes, so they can be regenerated or tweaked
// without an image editor and without adding an image library. Run with `npm run icons`.
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

// ---------------------------------------------------------------- PNG encoding

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
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // colour type RGBA; compression, filter and interlace stay 0
  // "Sub" filter on every row: smooth gradients turn into runs of small deltas that deflate well.
  const stride = size * 4;
  const raw = Buffer.alloc(size * (stride + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 1;
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? rgba[y * stride + i - 4] : 0;
      raw[y * (stride + 1) + 1 + i] = (rgba[y * stride + i] - left) & 0xff;
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = deflateSync(raw, { level: 9 });
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

// ---------------------------------------------------------------- shapes (signed distances, < 0 inside)

const clamp = (v, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, v));
const smoothstep = (a, b, v) => {
  const t = clamp((v - a) / (b - a));
  return t * t * (3 - 2 * t);
};

function roundedRect(x, y, left, top, right, bottom, radius) {
  const qx = Math.abs(x - (left + right) / 2) - (right - left) / 2 + radius;
  const qy = Math.abs(y - (top + bottom) / 2) - (bottom - top) / 2 + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function ring(x, y, cx, cy, radius, width) {
  return Math.abs(Math.hypot(x - cx, y - cy) - radius) - width / 2;
}

// Stroked arc with round caps. Angles are in turns, clockwise from 12 o'clock, like a gauge reads.
function arc(x, y, cx, cy, radius, width, from, to) {
  const turn = (Math.atan2(x - cx, cy - y) / (2 * Math.PI) + 1) % 1;
  if (turn >= from && turn <= to) return ring(x, y, cx, cy, radius, width);
  const cap = (t) => {
    const angle = 2 * Math.PI * t;
    return Math.hypot(x - cx - radius * Math.sin(angle), y - cy + radius * Math.cos(angle));
  };
  return Math.min(cap(from), cap(to)) - width / 2;
}

// ---------------------------------------------------------------- rendering

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

// Paints layers back to front into a premultiplied RGBA accumulator.
function over(dst, rgb, alpha) {
  for (let i = 0; i < 3; i++) dst[i] = rgb[i] * alpha + dst[i] * (1 - alpha);
  dst[3] = alpha + dst[3] * (1 - alpha);
}

// Renders `paint` on the unit square. Each pixel averages samples×samples sub-pixels, and each
// sub-pixel still gets a fractional edge from the distance field, so edges stay smooth at any size.
function render(size, samples, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  const step = 1 / (size * samples);
  const cover = (d) => clamp(0.5 - d / step);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const pixel = [0, 0, 0, 0];
          paint((px * samples + sx + 0.5) * step, (py * samples + sy + 0.5) * step, pixel, cover);
          for (let i = 0; i < 4; i++) sum[i] += pixel[i];
        }
      }
      const alpha = sum[3] / samples ** 2;
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = alpha ? Math.round((sum[i] / sum[3]) * 255) : 0;
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

// ---------------------------------------------------------------- the designs

const WHITE = [1, 1, 1];
const BLACK = [0, 0, 0];
const ORANGE_TOP = hex("#FF8412");
const ORANGE_BOTTOM = hex("#E9420A");
const GLYPH_SHADOW = hex("#B32A00");

// Store icon: Big Sur proportions (824/1024 body, ~22% corner radius) so it sits well next to
// system icons in Raycast's lists.
function appIcon(x, y, out, cover) {
  const body = (dy) => roundedRect(x, y - dy, 0.1, 0.1, 0.9, 0.9, 0.18);
  over(out, BLACK, 0.3 * (1 - smoothstep(-0.015, 0.03, body(0.012))));
  // Mostly vertical with a slight diagonal, as if lit from the top left like system icons.
  over(out, mix(ORANGE_TOP, ORANGE_BOTTOM, clamp(0.25 * x + y - 0.15)), cover(body(0)));

  const [cx, cy, radius, width] = [0.5, 0.5, 0.25, 0.075];
  const [barWidth, gap, base] = [0.06, 0.032, 0.605];
  const left = 0.5 - (3 * barWidth + 2 * gap) / 2;
  const bar = (i, height, dy) => {
    const x0 = left + i * (barWidth + gap);
    return roundedRect(x, y - dy, x0, base - height, x0 + barWidth, base, 0.015);
  };
  // Three rising bars read as "tokens used over time"; kept well inside the ring so both survive 64 px.
  const heights = [0.1, 0.155, 0.21];
  const glyph = (dy) =>
    Math.min(arc(x, y - dy, cx, cy, radius, width, 0, 0.75), ...heights.map((h, i) => bar(i, h, dy)));

  // A faint warm shadow lifts the white glyph off the gradient without a visible outline.
  over(out, GLYPH_SHADOW, 0.22 * (1 - smoothstep(-0.01, 0.025, glyph(0.01))));
  over(out, WHITE, 0.3 * cover(ring(x, y, cx, cy, radius, width)));
  over(out, WHITE, cover(glyph(0)));
}

// Menu-bar template: black on transparent, only alpha matters, so macOS can tint it for light and
// dark menu bars. No translucent track: at 16 pt it would just look muddy. The bars sit on whole
// units of a 32 grid so their edges land on pixel boundaries in both the 1x and the 2x file.
function menuBarIcon(x, y, out, cover) {
  const u = (v) => v / 32;
  over(out, BLACK, cover(arc(x, y, 0.5, 0.5, u(13.25), u(3.5), 0, 0.75)));
  [
    [9, 17],
    [14, 14],
    [19, 10],
  ].forEach(([x0, top]) => over(out, BLACK, cover(roundedRect(x, y, u(x0), u(top), u(x0 + 3), u(22), u(0.6)))));
}

// Resolved from this file so the script works from any working directory.
const assets = new URL("../assets/", import.meta.url);
mkdirSync(assets, { recursive: true });
const outputs = [
  ["icon.png", 512, 4, appIcon],
  ["menu-bar-icon.png", 32, 8, menuBarIcon],
  ["menu-bar-icon@2x.png", 64, 8, menuBarIcon],
];
for (const [file, size, samples, paint] of outputs) {
  writeFileSync(new URL(file, assets), encodePng(size, render(size, samples, paint)));
  console.log(`wrote assets/${file} (${size}×${size})`);
}
