/** "Re-split…": draw the seeded train/valid/test split again with another seed. */
import { useId, useState } from 'react';
import type { CorpusSummary, SplitCounts } from '../../../../core/ipc/schemas';
import { DiceIcon, ShuffleIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { formatCount } from '../../lib/format';
import { useModel } from '../../state/studio-context';
import { nextSeed, parseSeed, randomSeed } from './resplit-model';

export interface ResplitDialogProps {
  readonly corpus: CorpusSummary;
  readonly splits: SplitCounts | null;
  readonly onClose: () => void;
}

export function ResplitDialog({ corpus, splits, onClose }: ResplitDialogProps) {
  const model = useModel();
  const [text, setText] = useState(() => String(nextSeed(splits?.seed ?? null)));
  const [busy, setBusy] = useState(false);
  const seedId = useId();
  const hintId = useId();
  const parsed = parseSeed(text);

  const confirm = async () => {
    if (!('seed' in parsed) || busy) return;
    setBusy(true);
    const done = await model.resplit(corpus.id, parsed.seed);
    setBusy(false);
    if (done) onClose();
  };

  return (
    <Modal
      title={`Re-split “${corpus.name}”`}
      onClose={() => {
        if (!busy) onClose();
      }}
      className="modal-narrow"
      testId="resplit-dialog"
      footer={
        <>
          <span className="footer-spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !('seed' in parsed)}
            onClick={() => void confirm()}
            data-testid="resplit-confirm"
          >
            <ShuffleIcon size={14} /> {busy ? 'Re-splitting…' : 'Re-split'}
          </button>
        </>
      }
    >
      <form
        className="resplit-form"
        onSubmit={(event) => {
          event.preventDefault();
          void confirm();
        }}
      >
        <p>
          Pieces are shuffled by a seeded hash and shared out 80 / 10 / 10 between train, valid and test. The same seed always gives the same
          split.
        </p>
        {splits ? (
          <div className="resplit-current">
            <span className="muted">Now</span>
            <span className="split-tag split-train">train {formatCount(splits.train)}</span>
            <span className="split-tag split-valid">valid {formatCount(splits.valid)}</span>
            <span className="split-tag split-test">test {formatCount(splits.test)}</span>
            <span className="muted mono">seed {splits.seed}</span>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={seedId}>Seed</label>
          <div className="seed-row">
            <input
              id={seedId}
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              value={text}
              autoFocus
              aria-describedby={hintId}
              aria-invalid={'error' in parsed}
              onChange={(event) => setText(event.target.value)}
              data-testid="resplit-seed"
            />
            <button type="button" className="button" onClick={() => setText(String(randomSeed()))} title="A random seed">
              <DiceIcon size={14} /> Random
            </button>
          </div>
          {'error' in parsed ? (
            <span className="field-hint field-error" role="alert">
              {parsed.error}
            </span>
          ) : null}
          <span className="field-hint" id={hintId}>
            Pieces from train/valid/test folders keep their split.
          </span>
        </div>
      </form>
    </Modal>
  );
}
