/**
 * Rows as text a person pastes elsewhere: CSV (RFC 4180, CRLF, for spreadsheets) and GitHub-flavoured
 * Markdown tables. Every table the extension writes goes through these two, so quoting, escaping and
 * alignment have one rule each; what the columns are stays with the view that owns the rows.
 */

export interface TableColumn<Row> {
  /** The header in a Markdown table. */
  title: string;
  /** The header in CSV: snake_case, stable for scripts; a column without one is left out of CSV. */
  csv?: string;
  /** Words to the left, figures to the right. */
  align: "left" | "right";
  value: (row: Row) => string;
}

/** RFC 4180 quoting; none of our figures needs it, but model names, projects and currencies are not ours. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, each ended by CRLF as RFC 4180 asks. */
export function csvTable<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[]): string {
  const shown = columns.filter((column): column is TableColumn<Row> & { csv: string } => column.csv !== undefined);
  const lines = [shown.map((column) => csvField(column.csv)).join(",")];
  for (const row of rows) lines.push(shown.map((column) => csvField(column.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** A pipe in a cell would end it early; escaped, it is shown as written. */
function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** Header, alignment line and rows, joined by newlines with none at the end. */
export function markdownTable<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(columns.map((column) => markdownCell(column.title))),
    line(columns.map((column) => (column.align === "left" ? "---" : "---:"))),
    ...rows.map((row) => line(columns.map((column) => markdownCell(column.value(row))))),
  ].join("\n");
}
