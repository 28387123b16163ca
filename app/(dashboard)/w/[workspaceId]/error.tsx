"use client";

// An error in one of a workspace's pages: shown inside the workspace's shell (its layout, which
// holds <main id="main">), so the navigation stays usable.
import { useParams } from "next/navigation";
import { ErrorView } from "@/app/_components/error-view";

export default function WorkspaceError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const { workspaceId } = useParams<{ workspaceId: string }>();
  return <ErrorView error={error} retry={retry} home={`/w/${workspaceId}`} />;
}
