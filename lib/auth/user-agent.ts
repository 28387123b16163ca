// A readable summary of a browser's User-Agent header ("Chrome 131 on macOS") for the sessions list.
// A few regexes rather than a library: the list needs the browser family and the operating system,
// not devices or engines, and the kept libraries are either large (bowser) or AGPL (ua-parser-js 2).
// The header is whatever the client sent: the summary is a hint to recognise one's own devices,
// never a security decision.

export type DeviceSummary = {
  /** "Chrome 131", "Safari 17", …; null when no known browser is named. */
  browser: string | null;
  /** "macOS", "Windows", "iOS 17", "Android 14", "Linux", …; null when unknown. */
  os: string | null;
  /** Whether the header names a phone or tablet. */
  mobile: boolean;
  /** One line for the list: "Chrome 131 on macOS", or the header's first word, or "Unknown device". */
  label: string;
};

// Order matters: Edge and Opera also say Chrome, Chrome also says Safari, iOS browsers say Safari.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\bOPR\/(\d+)/, "Opera"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, "Firefox"],
  [/\bHeadlessChrome\/(\d+)/, "Headless Chrome"],
  [/\b(?:Chrome|CriOS|Chromium)\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)[\d.]*(?: Mobile\/\S+)? Safari\//, "Safari"],
];

const WINDOWS: Record<string, string> = { "10.0": "Windows", "6.3": "Windows 8.1", "6.2": "Windows 8", "6.1": "Windows 7" };

function osOf(ua: string): string | null {
  let m: RegExpExecArray | null;
  if ((m = /\b(?:iPhone|iPad|iPod)\b.*? OS (\d+)/.exec(ua))) return `${/iPad/.test(ua) ? "iPadOS" : "iOS"} ${m[1]}`;
  if ((m = /\bAndroid (\d+)/.exec(ua))) return `Android ${m[1]}`;
  if (/\bAndroid\b/.test(ua)) return "Android";
  // Windows 10 and 11 send the same version; macOS has sent 10_15_7 for years.
  if ((m = /\bWindows NT (\d+\.\d+)/.exec(ua))) return WINDOWS[m[1]!] ?? "Windows";
  if (/\bWindows\b/.test(ua)) return "Windows";
  if (/\bCrOS\b/.test(ua)) return "ChromeOS";
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return "macOS";
  if (/\bLinux\b|\bX11\b/.test(ua)) return "Linux";
  return null;
}

/** At most this many characters of an unknown agent's first word are shown. */
const UNKNOWN_MAX = 40;

export function describeUserAgent(userAgent: string | null | undefined): DeviceSummary {
  const ua = (userAgent ?? "").slice(0, 512);
  let browser: string | null = null;
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const os = osOf(ua);
  const mobile = /\b(?:Mobile|iPhone|iPad|iPod|Android)\b/.test(ua);
  let label: string;
  if (browser && os) label = `${browser} on ${os}`;
  else if (browser ?? os) label = (browser ?? os)!;
  else {
    // Not a browser we know (a script, a test client): its own first word, printable only.
    const first = ua.trim().split(/\s+/)[0]?.replace(/[^\x21-\x7e]/g, "").slice(0, UNKNOWN_MAX);
    label = first || "Unknown device";
  }
  return { browser, os, mobile, label };
}
