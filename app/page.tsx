import Link from "next/link";

export default function Home() {
  return (
    <main>
      <h1>Tessera</h1>
      <p className="lead">
        The control plane for your AI and GPU platform: workspaces, members, API tokens and secrets.
      </p>
      <div className="card">
        <h2>Server status</h2>
        <p className="muted">
          The server is running. Health: <Link href="/api/health">/api/health</Link>. The REST API lives under{" "}
          <code>/api/v1</code> and takes <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
      </div>
    </main>
  );
}
