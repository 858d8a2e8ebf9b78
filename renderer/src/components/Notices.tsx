/** Errors and confirmations from the studio, stacked bottom right. Errors stay until dismissed. */
import { useEffect } from 'react';
import { useModel, useStudio } from '../state/studio-context';
import type { Notice } from '../state/studio-model';
import { AlertIcon, CheckIcon, CloseIcon, InfoIcon } from './icons';

const INFO_LIFETIME_MS = 6000;

function NoticeItem({ notice }: { notice: Notice }) {
  const model = useModel();
  useEffect(() => {
    if (notice.tone !== 'info') return undefined;
    const timer = setTimeout(() => model.dismissNotice(notice.id), INFO_LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [model, notice]);
  const Icon = notice.tone === 'info' ? CheckIcon : notice.tone === 'warning' ? InfoIcon : AlertIcon;
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
      <Icon className="notice-icon" />
      <p className="notice-message">{notice.message}</p>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => model.dismissNotice(notice.id)}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
}

export function Notices() {
  const notices = useStudio((state) => state.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </div>
  );
}
