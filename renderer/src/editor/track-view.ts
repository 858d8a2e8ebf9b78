/**
 * How each track is shown and heard in the editor: colour, mute and solo. This is mixer state, not
 * music: it is not saved with the clip and not part of undo (as in a DAW, where muting is not an
 * edit). Keyed by track id so it follows a track when others are removed.
 */
export const TRACK_COLOURS: readonly string[] = ['#5aa9ff', '#4fd1b5', '#b794ff', '#f2b45d', '#ff7eb0', '#8bd45f', '#ff9361', '#5fd5ee', '#e6d35a', '#c0a4ff'];

export interface TrackView {
  readonly colour: string;
  readonly muted: boolean;
  readonly solo: boolean;
}

export function defaultTrackView(index: number): TrackView {
  return { colour: TRACK_COLOURS[index % TRACK_COLOURS.length]!, muted: false, solo: false };
}

/** Whether a track sounds: not muted, and soloed when any track is soloed. */
export function isAudible(view: TrackView, anySolo: boolean): boolean {
  return anySolo ? view.solo : !view.muted;
}
