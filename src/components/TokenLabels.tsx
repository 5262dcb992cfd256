import { List } from "@raycast/api";
import { formatCost, formatCreditFigures, formatFull, formatTokens } from "../core/format";
import { costOf, type CreditFigures } from "../core/rates";
import type { Buckets } from "../core/views/schema";

type Figures = Buckets & CreditFigures & { total: number };

/**
 * The token and Credit figures of a detail pane (a day, a session), named the same wherever they
 * appear: tokens by bucket, then the Credits they spend at MiMo's rates and what that is at list price.
 */
export function TokenLabels({ figures }: { figures: Figures }) {
  const Label = List.Item.Detail.Metadata.Label;
  return (
    <>
      <Label title="Total Tokens" text={`${formatTokens(figures.total)} (${formatFull(figures.total)})`} />
      <Label title="Input" text={formatFull(figures.input)} />
      <Label title="Output" text={formatFull(figures.output)} />
      <Label title="Cache Read" text={formatFull(figures.cacheRead)} />
      <Label title="Cache Write" text={formatFull(figures.cacheWrite)} />
      <Label title="Credits" text={creditsText(figures)} />
      <Label title="Estimated Cost" text={formatCost(costOf(figures))} />
    </>
  );
}

/** "35.8M Credits (35,812,500)", and the unrated tokens when there are any. */
export function creditsText(figures: Figures): string {
  const full = `${formatCreditFigures(figures)} (${formatFull(figures.credits)})`;
  return figures.uncreditedTokens > 0 ? `${full}; ${formatTokens(figures.uncreditedTokens)} tokens unrated` : full;
}
