/** "?": every shortcut and mouse gesture of the editor, from the same table the keys are handled with. */
import { Modal } from '../../components/Modal';
import { GESTURES, SHORTCUTS, type Shortcut } from '../../editor/shortcuts';

const GROUPS: readonly Shortcut['group'][] = ['Edit', 'Notes', 'Transport', 'View'];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Piano roll: keys and gestures" onClose={onClose} className="editor-help" testId="help-overlay">
      <div className="help-columns">
        {GROUPS.map((group) => (
          <section key={group} className="help-group">
            <h3 className="eyebrow">{group}</h3>
            <dl className="help-list">
              {SHORTCUTS.filter((shortcut) => shortcut.group === group).map((shortcut) => (
                <div key={shortcut.action} className="help-row">
                  <dt>
                    {shortcut.label.split(', ').map((label) => (
                      <kbd key={label}>{label}</kbd>
                    ))}
                  </dt>
                  <dd>{shortcut.description}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <section className="help-group help-gestures">
          <h3 className="eyebrow">Mouse</h3>
          <dl className="help-list">
            {GESTURES.map((gesture) => (
              <div key={gesture.label} className="help-row">
                <dt>{gesture.label}</dt>
                <dd>{gesture.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
      <p className="help-note muted">
        Every edit can be undone. Buttons act on the selected notes, or on the whole track when nothing is selected. Shortcuts do nothing while you type in a field.
      </p>
    </Modal>
  );
}
