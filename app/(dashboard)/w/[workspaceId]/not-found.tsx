"use client";

// A 404 inside a workspace the user can open (an unknown page, or notFound() for an id that is not
// this workspace's): in the workspace's own shell, with the way back to it. An unknown or foreign
// workspace id never gets here: the layout's 404 shows app/not-found.tsx instead.
import { useParams } from "next/navigation";
import { NotFoundView } from "@/app/_components/not-found-view";

export default function WorkspaceNotFound() {
  const { workspaceId } = useParams<{ workspaceId: string }>();
  return (
    <NotFoundView
      primary={{ href: `/w/${workspaceId}`, label: "Back to the workspace" }}
      secondary={[{ href: `/w/${workspaceId}/members`, label: "Members" }]}
    />
  );
}
