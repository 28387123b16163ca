import { notFound } from "next/navigation";

// Any other address under a workspace: its 404 in the workspace's shell (not-found.tsx next to the
// layout), once the layout has checked that the user may open the workspace at all.
export default function UnknownWorkspacePage() {
  notFound();
}
