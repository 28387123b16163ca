import { describe, expect, it } from "vitest";
import { composeMail, escapeHtml } from "@/lib/mail";

describe("composeMail (lib/mail.ts)", () => {
  const hostile = `<img src=x onerror=alert(1)> & "quotes" 'too'`;

  it("says the same in text and HTML, and escapes every user-given piece in the HTML", () => {
    const m = composeMail({
      to: "ada@example.com",
      subject: `Workspace ${hostile}\r\nBcc: evil@example.com`,
      paragraphs: [`Your workspace "${hostile}" was approved.`, "Reason:\nlooks fine"],
      action: { label: "Open it", url: "https://tessera.example/w/abc?x=1&y=2" },
      footer: "You get this mail because you asked.",
    });
    expect(m.text).toContain(`Your workspace "${hostile}" was approved.`);
    expect(m.text).toContain("Open it: https://tessera.example/w/abc?x=1&y=2");
    expect(m.html).not.toContain("<img");
    expect(m.html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;");
    expect(m.html).toContain('href="https://tessera.example/w/abc?x=1&amp;y=2"');
    expect(m.html).toContain("Reason:<br>looks fine");
    // No header injection through the subject.
    expect(m.subject).not.toMatch(/[\r\n]/);
  });

  it("refuses a link that is not http(s)", () => {
    expect(() => composeMail({ to: "a@b.c", subject: "s", paragraphs: ["p"], action: { label: "x", url: "javascript:alert(1)" } })).toThrow();
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});
