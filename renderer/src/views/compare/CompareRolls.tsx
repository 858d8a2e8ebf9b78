/**
 * "Pictures" I: the reference split and each model as a row of small piano rolls: the reference's
 * first pieces (cut to the samples' length, so every roll shares one time scale) and each model's
 * first samples. A roll plays from its start on click.
 */
import { useEffect, useMemo } from 'react';
import type { Comparison } from '../../../../core/ipc/schemas';
import type { Piece } from '../../../../core/music/types';
import { PlayIcon, StopIcon } from '../../components/icons';
import { musicKey, type MusicEntry, type MusicSource } from '../../state/comparison-library';
import { useComparisonLibrary, useComparisonState } from './comparison-context';
import { familyLabel, modelColour, REFERENCE_COLOUR } from './compare-model';
import { cropMusic, firstOf, ROLLS_PER_ROW, spanInQuarters } from './compare-rolls-model';
import { MiniRoll } from './MiniRoll';
import { useComparePlayback } from './use-compare-playback';

const ROLL_HEIGHT = 78;

interface RollRow {
  readonly key: string;
  readonly title: string;
  readonly detail: string;
  readonly colour: string;
  readonly sources: readonly MusicSource[];
  readonly crop: boolean;
}

function rowsOf(comparison: Comparison): RollRow[] {
  const results = comparison.results;
  if (!results) return [];
  const rows: RollRow[] = [
    {
      key: 'reference',
      title: 'Reference',
      detail: `${results.reference.split} split · ${results.reference.pieces} pieces`,
      colour: REFERENCE_COLOUR,
      sources: firstOf(results.reference.pieceIds).map((pieceId) => ({ pieceId })),
      crop: true,
    },
  ];
  results.models.forEach((model, index) => {
    const position = comparison.modelIds.indexOf(model.modelId);
    rows.push({
      key: String(model.modelId),
      title: model.modelName,
      detail: `${familyLabel(model.family)} · ${model.representation} · ${model.clipIds.length} samples`,
      colour: modelColour(position === -1 ? index : position),
      sources: firstOf(model.clipIds).map((clipId) => ({ clipId })),
      crop: false,
    });
  });
  return rows;
}

export function CompareRolls({ comparison }: { comparison: Comparison }) {
  const library = useComparisonLibrary();
  const music = useComparisonState((state) => state.music);
  const rows = useMemo(() => rowsOf(comparison), [comparison]);

  // Idempotent: fetches what is missing (kept music is not fetched again).
  useEffect(() => {
    for (const row of rows) for (const source of row.sources) void library.loadMusic(source);
  }, [library, rows]);

  // The span of every roll: the loaded samples' length in whole bars.
  const samples = rows
    .filter((row) => !row.crop)
    .flatMap((row) => row.sources.map((source) => music[musicKey(source)]?.music ?? null))
    .filter((entry): entry is Piece => entry !== null);
  // Cheap (a pass over a few samples' notes), and a number: the cropped rolls change only when it does.
  const quarters = spanInQuarters(samples);

  return (
    <section className="card compare-rolls" data-testid="compare-rolls" aria-label="Piano rolls">
      <header className="card-header">
        <span className="card-title">Piano rolls</span>
        <span className="card-subtitle">
          the first {ROLLS_PER_ROW} reference pieces (their opening {formatQuarters(quarters)}) and samples of each model · click one to hear it
        </span>
      </header>
      <div className="roll-rows">
        {rows.map((row) => (
          <div className="roll-row" key={row.key} data-row={row.key}>
            <div className="roll-row-label">
              <span className="roll-row-swatch" style={{ background: row.colour }} aria-hidden="true" />
              <span className="roll-row-text">
                <span className="roll-row-title" title={row.title}>
                  {row.title}
                </span>
                <span className="roll-row-detail">{row.detail}</span>
              </span>
            </div>
            {Array.from({ length: ROLLS_PER_ROW }, (_, index) => {
              const source = row.sources[index];
              return source ? (
                <RollCell key={musicKey(source)} source={source} entry={music[musicKey(source)]} colour={row.colour} crop={row.crop ? quarters : null} label={`${row.title}, ${index + 1}`} />
              ) : (
                <div key={`empty-${index}`} className="roll-cell roll-cell-empty" style={{ height: ROLL_HEIGHT }} />
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}

function formatQuarters(quarters: number): string {
  const bars = quarters / 4;
  return Number.isInteger(bars) ? `${bars} bar${bars === 1 ? '' : 's'}` : `${quarters} quarters`;
}

interface RollCellProps {
  readonly source: MusicSource;
  readonly entry: MusicEntry | undefined;
  readonly colour: string;
  /** Quarters to cut the music to (reference pieces), or null to show it whole. */
  readonly crop: number | null;
  readonly label: string;
}

function RollCell({ source, entry, colour, crop, label }: RollCellProps) {
  const library = useComparisonLibrary();
  const playback = useComparePlayback();
  const loaded = entry?.music ?? null;
  const shown = useMemo(() => (loaded && crop !== null ? cropMusic(loaded, crop) : loaded), [loaded, crop]);
  if (!shown) {
    return (
      <div className="roll-cell roll-cell-message" style={{ height: ROLL_HEIGHT }}>
        {entry?.status === 'error' ? (
          <button type="button" className="link-button" title={entry.error ?? undefined} onClick={() => void library.loadMusic(source, { force: true })}>
            {/no (clip|piece)/i.test(entry.error ?? '') ? 'Deleted' : 'Could not load · retry'}
          </button>
        ) : (
          <span className="spinner" aria-hidden="true" />
        )}
      </div>
    );
  }
  const playing = playback.isPlaying(shown);
  return (
    <div className={`roll-cell${playing ? ' is-playing' : ''}`} data-source={musicKey(source)}>
      <MiniRoll music={shown} colour={colour} height={ROLL_HEIGHT} label={`Piano roll: ${label}`} />
      <button
        type="button"
        className="roll-play"
        aria-label={playing ? `Stop ${label}` : `Play ${label}`}
        title={playing ? 'Stop' : 'Play from the start'}
        onClick={() => (playing ? playback.stop() : playback.play(shown))}
      >
        {playing ? <StopIcon size={12} /> : <PlayIcon size={12} />}
      </button>
    </div>
  );
}
