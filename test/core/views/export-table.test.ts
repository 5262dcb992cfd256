import { csvTable, markdownTable, type TableColumn } from "../../../src/core/views/export-table";

interface Row {
  name: string;
  tokens: number;
}

const COLUMNS: TableColumn<Row>[] = [
  { title: "Name", csv: "name", align: "left", value: (row) => row.name },
  { title: "Tokens", csv: "tokens", align: "right", value: (row) => String(row.tokens) },
  { title: "Note", align: "left", value: (row) => `${row.name} note` },
];

describe("export tables", () => {
  it("writes CSV with CRLF, RFC 4180 quoting, and only the columns that have a CSV name", () => {
    const rows = [
      { name: "plain", tokens: 1 },
      { name: 'say "hi", twice', tokens: 2 },
      { name: "two\nlines", tokens: 3 },
    ];
    expect(csvTable(COLUMNS, rows)).toBe('name,tokens\r\nplain,1\r\n"say ""hi"", twice",2\r\n"two\nlines",3\r\n');
  });

  it("writes a Markdown table with words left, figures right and pipes escaped", () => {
    expect(markdownTable(COLUMNS, [{ name: "a|b", tokens: 5 }]).split("\n")).toEqual([
      "| Name | Tokens | Note |",
      "| --- | ---: | --- |",
      "| a\\|b | 5 | a\\|b note |",
    ]);
  });

  it("writes only the header of an empty table", () => {
    expect(csvTable(COLUMNS, [])).toBe("name,tokens\r\n");
    expect(markdownTable(COLUMNS, [])).toBe("| Name | Tokens | Note |\n| --- | ---: | --- |");
  });
});
