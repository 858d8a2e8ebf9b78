/**
 * Choosing what to import and into which corpus. Desktop: the native dialog returns paths that main
 * reads itself. Browser: hidden file inputs (files, or a whole folder) hand the bytes to the page,
 * which uploads them in batches.
 */
import { useId, useRef, useState, type DragEvent } from 'react';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { FileIcon, FolderIcon, ImportIcon } from '../../components/icons';
import { dragHasFiles, selectionFromDrop, selectionFromInput } from '../../import/dom-files';
import { defaultCorpusName, describeSelection, selectionSize, type ImportSelection } from '../../import/selection';
import type { UploadProgress } from '../../import/run-import';
import { formatBytes, formatCount } from '../../lib/format';
import { describeError } from '../../state/studio-model';
import { useEnvironment, useStudio } from '../../state/studio-context';

const MIDI_ACCEPT = '.mid,.midi,.kar,.smf,audio/midi,audio/x-midi';

export interface ImportDialogProps {
  /** What was dropped on the window before the dialog opened, if anything. */
  readonly initialSelection: ImportSelection | null;
  readonly onClose: () => void;
}

function selectionBytes(selection: ImportSelection): number | null {
  return selection.kind === 'files' ? selection.files.reduce((sum, file) => sum + file.size, 0) : null;
}

export function ImportDialog({ initialSelection, onClose }: ImportDialogProps) {
  const { model, platform } = useEnvironment();
  const desktop = useStudio((state) => state.appInfo?.mode === 'electron');
  const corpora = useStudio((state) => state.corpora);
  const [selection, setSelection] = useState<ImportSelection | null>(initialSelection);
  const [name, setName] = useState(initialSelection ? defaultCorpusName(initialSelection) : '');
  const [nameEdited, setNameEdited] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const hintId = useId();

  const choose = (next: ImportSelection | null) => {
    if (!next) return;
    if (selectionSize(next) === 0) {
      model.notify('There are no MIDI files (.mid, .midi, .kar, .smf) in what you chose.', 'warning');
      return;
    }
    setSelection(next);
    if (!nameEdited) setName(defaultCorpusName(next));
  };

  const chooseFiles = async (folders: boolean) => {
    if (desktop) {
      choose(await model.chooseWithDialog(folders));
      return;
    }
    (folders ? folderInput : fileInput).current?.click();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setDragging(false);
    selectionFromDrop(event.dataTransfer, platform).then(choose, (error: unknown) => model.notify(`Could not read what was dropped: ${describeError(error)}`));
  };

  const existing = corpora.find((corpus) => corpus.name === name.trim());
  const canImport = selection !== null && name.trim() !== '' && !busy;
  const bytes = selection ? selectionBytes(selection) : null;

  const start = async () => {
    if (!selection || !canImport) return;
    setBusy(true);
    const outcome = await model.importSelection(name, selection, setProgress);
    setBusy(false);
    setProgress(null);
    if (outcome) onClose();
  };

  return (
    <Modal
      title="Import MIDI"
      onClose={() => {
        if (!busy) onClose();
      }}
      testId="import-dialog"
      footer={
        <>
          {progress && busy ? (
            <div className="upload-progress">
              <ProgressBar value={progress.totalFiles === 0 ? null : progress.sentFiles / progress.totalFiles} label="Upload" />
              <span className="muted small">
                Sent {formatCount(progress.sentFiles)} of {formatCount(progress.totalFiles)} files
              </span>
            </div>
          ) : (
            <span className="footer-spacer" />
          )}
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={!canImport} onClick={() => void start()} data-testid="import-button">
            <ImportIcon size={14} /> {busy ? 'Starting…' : 'Import'}
          </button>
        </>
      }
    >
      <form
        className="import-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <div
          className={`drop-zone${dragging ? ' is-dragging' : ''}${selection ? ' has-selection' : ''}`}
          onDragOver={(event) => {
            if (!dragHasFiles(event.dataTransfer)) return;
            event.preventDefault();
            event.stopPropagation();
            event.dataTransfer.dropEffect = 'copy';
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          {selection ? (
            <div className="selection-summary" data-testid="import-selection">
              {selection.kind === 'files' && selection.files.some((file) => file.relativePath.includes('/')) ? <FolderIcon size={20} /> : <FileIcon size={20} />}
              <div>
                <div className="selection-title">{describeSelection(selection)}</div>
                <div className="muted small">{bytes === null ? 'Read by the studio from disk' : `${formatBytes(bytes)} to upload`}</div>
              </div>
            </div>
          ) : (
            <p className="drop-zone-text">Drop MIDI files or folders here</p>
          )}
          <div className="drop-zone-buttons">
            <button type="button" className="button" onClick={() => void chooseFiles(false)} disabled={busy}>
              <FileIcon size={14} /> Choose files…
            </button>
            <button type="button" className="button" onClick={() => void chooseFiles(true)} disabled={busy}>
              <FolderIcon size={14} /> Choose folder…
            </button>
          </div>
          {desktop ? null : (
            <>
              <input
                ref={fileInput}
                className="visually-hidden"
                type="file"
                multiple
                accept={MIDI_ACCEPT}
                tabIndex={-1}
                aria-hidden="true"
                data-testid="file-input"
                onChange={(event) => {
                  if (event.target.files) choose(selectionFromInput(event.target.files, false));
                  event.target.value = '';
                }}
              />
              <input
                ref={folderInput}
                className="visually-hidden"
                type="file"
                multiple
                // React has no typed prop for it; the attribute is what Chromium reads.
                {...{ webkitdirectory: '' }}
                tabIndex={-1}
                aria-hidden="true"
                data-testid="folder-input"
                onChange={(event) => {
                  if (event.target.files) choose(selectionFromInput(event.target.files, true));
                  event.target.value = '';
                }}
              />
            </>
          )}
        </div>
        <div className="field">
          <label htmlFor={nameId}>Corpus name</label>
          <input
            id={nameId}
            type="text"
            value={name}
            list={`${nameId}-existing`}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={hintId}
            data-testid="corpus-name-input"
            disabled={busy}
            onChange={(event) => {
              setName(event.target.value);
              setNameEdited(true);
            }}
          />
          <datalist id={`${nameId}-existing`}>
            {corpora.map((corpus) => (
              <option key={corpus.id} value={corpus.name} />
            ))}
          </datalist>
          <p id={hintId} className="field-hint">
            {existing
              ? `Adds to the existing corpus “${existing.name}” (${formatCount(existing.pieceCount)} pieces); files already in it are skipped.`
              : 'A new corpus. Sub-folders named train, valid and test keep their split.'}
          </p>
        </div>
      </form>
    </Modal>
  );
}
