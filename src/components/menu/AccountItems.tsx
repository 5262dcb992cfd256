import { Icon, MenuBarExtra, openExtensionPreferences } from "@raycast/api";
import { formatCredits, formatDateTime, formatFull, formatTokens } from "../../core/format";
import type { CoveredAccount } from "../../hooks/useMenuSections";
import { FAILURES } from "../../core/chain/failures";
import { copy } from "./menu-actions";

/**
 * The whole account beside this Mac's window: "All devices" (every device and client of the plan,
 * from the platform's daily list) and "Elsewhere" (the account minus this Mac), for a window the
 * kept rows cover.
 */
export function AccountItems({ id, answer, timeZone }: { id: string; answer: CoveredAccount; timeZone: string }) {
  const { account } = answer;
  const credits = account.credits === null ? "" : ` · ${formatCredits(account.credits)} Credits`;
  const asOf = formatDateTime(account.asOf, timeZone);
  const caveats = answer.notes.length > 0 ? ` ${answer.notes.join(" ")}` : "";
  return (
    <>
      <MenuBarExtra.Item
        key={`${id}-account`}
        title="All devices"
        subtitle={`${formatTokens(account.totalTokens)} tokens${credits}`}
        tooltip={`Every device and client of the plan, from the MiMo platform's daily list as of ${asOf}: ${formatFull(account.totalTokens)} tokens.${caveats}`}
        icon={Icon.Globe}
        onAction={() => copy(formatFull(account.totalTokens))}
      />
      <MenuBarExtra.Item
        key={`${id}-elsewhere`}
        title="Elsewhere"
        subtitle={formatTokens(account.elsewhereTokens)}
        tooltip={`All devices minus this Mac, day by day and model by model: ${formatFull(account.elsewhereTokens)} tokens.${caveats}`}
        icon={Icon.Devices}
        onAction={() => copy(formatFull(account.elsewhereTokens))}
      />
    </>
  );
}

/** The Status hint when the cookie cannot ask the list: which cookie to add. */
export function AccountHint() {
  return (
    <MenuBarExtra.Item
      key="status-account"
      title={FAILURES.accountNoPh.title}
      tooltip={FAILURES.accountNoPh.explanation}
      icon={Icon.Link}
      onAction={openExtensionPreferences}
    />
  );
}
