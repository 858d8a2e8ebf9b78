/** The transport's icons (24-unit grid, currentColor), drawn like components/icons.tsx. */
import type { ReactNode } from 'react';

function Glyph({ size = 16, children }: { size?: number; children: ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const PlayGlyph = () => (
  <Glyph>
    <path d="M7 5v14l11-7z" fill="currentColor" />
  </Glyph>
);

export const StopGlyph = () => (
  <Glyph>
    <rect x="6" y="6" width="12" height="12" rx="1" fill="currentColor" />
  </Glyph>
);

export const LoopGlyph = () => (
  <Glyph>
    <path d="M17 2l3 3-3 3" />
    <path d="M4 11V9a4 4 0 0 1 4-4h12" />
    <path d="M7 22l-3-3 3-3" />
    <path d="M20 13v2a4 4 0 0 1-4 4H4" />
  </Glyph>
);

export const MetronomeGlyph = () => (
  <Glyph>
    <path d="M9 3h6l4 18H5z" />
    <path d="M12 17l5-9" />
  </Glyph>
);

export const PanicGlyph = () => (
  <Glyph>
    <path d="M12 3l10 18H2z" />
    <path d="M12 10v4" />
    <path d="M12 17.5v.5" />
  </Glyph>
);

export const RecordGlyph = () => (
  <Glyph>
    <circle cx="12" cy="12" r="6" fill="currentColor" />
  </Glyph>
);
