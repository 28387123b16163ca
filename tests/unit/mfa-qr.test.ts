// The enrolment's QR code is drawn by the dashboard from one SVG path (lib/services/mfa.ts qrPath):
// the path must paint exactly the modules the QR library computed (so it reads as its own output
// would), inside a 4-module quiet zone.
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { qrPath } from "@/lib/services/mfa";

describe("the enrolment QR code", () => {
  it("paints exactly the library's dark modules, with a quiet zone of 4", () => {
    const uri = "otpauth://totp/Tessera:ada%40example.com?issuer=Tessera&algorithm=SHA1&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&period=30&digits=6";
    const { size, path } = qrPath(uri);
    const { modules } = QRCode.create(uri, { errorCorrectionLevel: "M" });
    expect(size).toBe(modules.size + 8);
    const painted = new Set<string>();
    const segments = path.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
    expect(segments.join("")).toBe(path);
    for (const seg of segments) {
      const [, x, y, w, back] = seg.match(/^M(\d+) (\d+)h(\d+)v1h-(\d+)z$/)!.map(Number);
      expect(back).toBe(w);
      for (let i = 0; i < w!; i++) {
        const key = `${y! - 4},${x! - 4 + i}`;
        expect(painted.has(key), `painted twice: ${key}`).toBe(false);
        painted.add(key);
      }
    }
    let dark = 0;
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        expect(painted.has(`${r},${c}`), `module ${r},${c}`).toBe(Boolean(modules.get(r, c)));
        if (modules.get(r, c)) dark++;
      }
    }
    expect(painted.size).toBe(dark);
  });
});
