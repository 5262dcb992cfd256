// Writes one Claude Code transcript of a given size, for the README's manual reliability check:
//
//   node scripts/big-transcript.mjs 9000 > DIR/projects/p/big.jsonl
//
// Every line is one assistant response of about 4 KB (a long text block, as tool output makes real
// lines long) with its own message and request id, 1 input and 2 output tokens, so an exact scan
// counts as many input tokens as the file has lines (`wc -l`) and twice as many output tokens.
// The line's fields are those test/helpers/transcripts.ts writes, as Claude Code writes them.
const megabytes = Number(process.argv[2]);
if (!(megabytes > 0)) {
  process.stderr.write("usage: node scripts/big-transcript.mjs MEGABYTES > file.jsonl\n");
  process.exit(2);
}
const text = "x".repeat(3800);
let responses = 0;
let bytes = 0;

function write() {
  while (bytes < megabytes * 1e6) {
    const line = `${JSON.stringify({
      type: "assistant",
      sessionId: "big",
      requestId: `r${responses}`,
      timestamp: "2026-01-05T10:00:00Z",
      message: {
        id: `m${responses}`,
        role: "assistant",
        model: "mimo-v2.5-pro",
        content: [{ type: "text", text }],
        usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      },
    })}\n`;
    responses++;
    bytes += line.length;
    if (!process.stdout.write(line)) return process.stdout.once("drain", write);
  }
  process.stderr.write(`${responses} responses, ${bytes} bytes\n`);
}
write();
