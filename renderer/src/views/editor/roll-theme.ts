/** The piano roll's colours, read once from the app's CSS custom properties (styles.css, editor.css). */
export interface RollTheme {
  readonly background: string;
  readonly blackRow: string;
  readonly octaveLine: string;
  readonly barLine: string;
  readonly beatLine: string;
  readonly stepLine: string;
  readonly afterEnd: string;
  readonly selectedBorder: string;
  readonly selectedFill: string;
  readonly keyWhite: string;
  readonly keyBlack: string;
  readonly keyBorder: string;
  readonly keyLabel: string;
  readonly keyActive: string;
  readonly rulerBackground: string;
  readonly rulerText: string;
  readonly rulerTick: string;
  readonly meterText: string;
  readonly laneBackground: string;
  readonly laneGuide: string;
  /** The loop region on the ruler. */
  readonly loopFill: string;
  readonly loopEdge: string;
  readonly font: string;
  readonly smallFont: string;
}

export function readRollTheme(element: Element): RollTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fontFamily = read('--font-ui', 'system-ui, sans-serif');
  return {
    background: read('--editor-roll-bg', '#111418'),
    blackRow: read('--editor-roll-black-row', '#0c0e11'),
    octaveLine: read('--editor-roll-octave-line', 'rgba(255,255,255,0.10)'),
    barLine: read('--editor-roll-bar-line', 'rgba(255,255,255,0.22)'),
    beatLine: read('--editor-roll-beat-line', 'rgba(255,255,255,0.085)'),
    stepLine: read('--editor-roll-step-line', 'rgba(255,255,255,0.04)'),
    afterEnd: read('--editor-roll-after-end', 'rgba(0,0,0,0.22)'),
    selectedBorder: read('--editor-note-selected-border', '#ffffff'),
    selectedFill: read('--editor-note-selected-fill', '#ffd36b'),
    keyWhite: read('--editor-key-white', '#c9cfd6'),
    keyBlack: read('--editor-key-black', '#1b1f24'),
    keyBorder: read('--editor-key-border', '#8e969f'),
    keyLabel: read('--editor-key-label', '#4a525c'),
    keyActive: read('--accent', '#4ea1ff'),
    rulerBackground: read('--bg-1', '#15181c'),
    rulerText: read('--text-muted', '#8b95a1'),
    rulerTick: read('--border-strong', '#363e48'),
    meterText: read('--warn', '#e0a93e'),
    laneBackground: read('--editor-lane-bg', '#0f1215'),
    laneGuide: read('--editor-lane-guide', 'rgba(255,255,255,0.06)'),
    loopFill: read('--editor-loop-fill', 'rgba(78,161,255,0.28)'),
    loopEdge: read('--editor-loop-edge', '#4ea1ff'),
    font: `10.5px ${fontFamily}`,
    smallFont: `9.5px ${fontFamily}`,
  };
}
