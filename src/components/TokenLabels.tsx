import { List } from "@raycast/api";
import { formatFull, formatTokens } from "../core/format";
import type { Buckets } from "../core/views/schema";

/** The token figures of a detail pane (a day, a session), named the same wherever they appear. */
export function TokenLabels({ figures }: { figures: Buckets & { total: number } }) {
  const Label = List.Item.Detail.Metadata.Label;
  return (
    <>
      <Label title="Total Tokens" text={`${formatTokens(figures.total)} (${formatFull(figures.total)})`} />
      <Label title="Input" text={formatFull(figures.input)} />
      <Label title="Output" text={formatFull(figures.output)} />
      <Label title="Cache Read" text={formatFull(figures.cacheRead)} />
      <Label title="Cache Write" text={formatFull(figures.cacheWrite)} />
    </>
  );
}
