import type { LucideIcon } from "lucide-react";
import { EmptyState, PageHeader } from "./ui";

/** A navigation target whose feature has not landed yet: an honest empty state. */
export function NotYet({ title, icon: Icon, description }: { title: string; icon: LucideIcon; description: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState icon={<Icon className="size-5" />} title="Nothing here yet" description={description} />
    </>
  );
}
