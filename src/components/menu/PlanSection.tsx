import { Color, Icon, MenuBarExtra } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import {
  formatCredits,
  formatDateTime,
  formatFull,
  formatMoney,
  formatPercent,
  formatRelative,
} from "../../core/format";
import type { Balance } from "../../core/chain/report-schema";
import {
  describeEstimate,
  describePace,
  describePlanSplit,
  describePlanUsage,
  estimateScope,
  ratesOutOfDateNote,
} from "../../core/query/summary";
import type { PlanFigures, PlanPace, PlanSplit } from "../../core/query/plan";
import { copy } from "./menu-actions";

/**
 * The Plan section of the menu, in Credits: used of the limit (the platform's figure, or an estimate
 * marked "≈" when it could not answer), compensation credits, pace, reset and balance.
 */
export function PlanSection(props: {
  plan: PlanFigures;
  timeZone: string | undefined;
  /** Why the platform did not answer this time, said beside an estimate. */
  planError: string | undefined;
  now: Date;
}) {
  const { plan, timeZone, now } = props;
  const { usage, split, pace, compensation, periodEnd, balance, name } = plan;
  const estimate = usage ? describeEstimate(usage, timeZone) : null;
  return (
    <MenuBarExtra.Section title={`Plan${name ? ` · ${name}` : ""}`}>
      {usage ? (
        <MenuBarExtra.Item
          key="plan-used"
          title="Used"
          subtitle={describePlanUsage(usage)}
          tooltip={[
            `${usage.estimated ? "About " : ""}${formatFull(usage.used)} of ${formatFull(usage.limit)} Credits.`,
            estimate,
            split ? `${splitWords(split, timeZone)}.` : null,
          ]
            .filter(Boolean)
            .join(" ")}
          icon={getProgressIcon(Math.min(1, usage.fraction), usage.fraction > 1 ? Color.Red : Color.Orange)}
          onAction={() => copy(formatPercent(usage.fraction))}
          alternate={
            split ? (
              <MenuBarExtra.Item
                key="plan-split"
                title="Where"
                subtitle={describePlanSplit(split)}
                icon={Icon.Devices}
                onAction={() => copy(describePlanSplit(split))}
              />
            ) : undefined
          }
        />
      ) : null}
      {split?.ratesOutOfDate ? (
        <MenuBarExtra.Item
          key="plan-rates"
          title="Rates out of date"
          tooltip={ratesOutOfDateNote(split) ?? undefined}
          icon={{ source: Icon.Warning, tintColor: Color.Yellow }}
          onAction={() => copy(ratesOutOfDateNote(split) ?? "")}
        />
      ) : null}
      {usage?.estimated ? (
        <MenuBarExtra.Item
          key="plan-estimated"
          title="Estimated"
          subtitle={
            estimateScope(usage, timeZone) ??
            (usage.basis.answeredAt ? `last answer ${formatRelative(usage.basis.answeredAt, now)}` : "")
          }
          tooltip={[estimate, props.planError].filter(Boolean).join(" ")}
          icon={{ source: Icon.Clock, tintColor: Color.Yellow }}
          onAction={() => copy(estimate ?? "")}
        />
      ) : null}

      {compensation ? (
        <MenuBarExtra.Item
          key="plan-compensation"
          title="Compensation"
          subtitle={describePlanUsage({ ...compensation, estimated: false })}
          tooltip={`${formatFull(compensation.used)} of ${formatFull(compensation.limit)} compensation Credits`}
          icon={Icon.Gift}
          onAction={() => copy(formatCredits(compensation.limit - compensation.used))}
        />
      ) : null}
      {pace ? <PaceItem pace={pace} timeZone={timeZone} /> : null}
      {periodEnd ? (
        <MenuBarExtra.Item
          key="plan-reset"
          title="Resets"
          subtitle={`${formatDateTime(periodEnd, timeZone)} (${formatRelative(periodEnd, now)})`}
          icon={Icon.Calendar}
          onAction={() => copy(periodEnd)}
        />
      ) : null}
      {balance ? (
        <MenuBarExtra.Item
          key="plan-balance"
          title="Balance"
          subtitle={formatMoney(balance.amount, balance.currency)}
          tooltip={balanceParts(balance)}
          icon={Icon.Wallet}
          onAction={() => copy(formatMoney(balance.amount, balance.currency))}
        />
      ) : null}
    </MenuBarExtra.Section>
  );
}

/** The split in full, for the Used row's tooltip. */
function splitWords(split: PlanSplit, timeZone: string | undefined): string {
  return (
    `${describePlanSplit(split)} (at the answer of ${formatDateTime(split.asOf, timeZone)}): this Mac ` +
    `${formatFull(split.thisMacCredits)} Credits at MiMo's rates, elsewhere (other devices, other clients on the key, ` +
    `the console) ${formatFull(split.elsewhereCredits)}`
  );
}

const RATE_WORDS: Record<NonNullable<PlanPace["rateFrom"]>, string> = {
  samples: "the platform's credit figures of the last 7 days",
  localUse: "this Mac's Credits of the last 7 days at MiMo's rates (other devices not seen)",
};

function PaceItem({ pace, timeZone }: { pace: PlanPace; timeZone: string | undefined }) {
  const runsOut = pace.runsOutAt ? ` · runs out ${formatDateTime(pace.runsOutAt, timeZone)}` : "";
  const rate = pace.rateFrom ? `; the run-out date uses ${RATE_WORDS[pace.rateFrom]}` : "";
  return (
    <MenuBarExtra.Item
      key="plan-pace"
      title="Pace"
      subtitle={describePace(pace) + runsOut}
      tooltip={`Even pace: ${formatPercent(pace.expectedFraction)} of the credits by now${rate}`}
      icon={pace.delta > 0 ? Icon.Bolt : Icon.Gauge}
      onAction={() => copy(describePace(pace))}
    />
  );
}

/** "Cash 10.00 CNY · Gift 2.34 CNY", leaving out parts the platform did not give. */
function balanceParts(balance: Balance): string | undefined {
  const parts = [
    balance.cash !== null ? `Cash ${formatMoney(balance.cash, balance.currency)}` : null,
    balance.gift !== null ? `Gift ${formatMoney(balance.gift, balance.currency)}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(" · ") : undefined;
}
