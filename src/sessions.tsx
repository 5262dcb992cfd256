import { List } from "@raycast/api";

export default function Command() {
  return (
    <List>
      <List.EmptyView title="No sessions yet" description="The session scanner is not built yet." />
    </List>
  );
}
