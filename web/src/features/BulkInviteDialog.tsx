// "Invite from CSV" (SPEC 8): choose a CSV file, see the dry run's result
// for every row, then "Invite N people". Nothing is written until then, and
// nothing at all while a row is invalid.
import { useEffect, useRef, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Modal from 'antd/es/modal';
import Table from 'antd/es/table';
import Tag from 'antd/es/tag';
import UploadOutlined from '@ant-design/icons/es/icons/UploadOutlined';
import { errorMessage } from '../api/client';
import { bulkInvite } from '../api/bulkInvite';
import type { BulkOutcome, BulkResult, BulkRowResult } from '../api/bulkInvite';
import { useFocusWhenOpen } from '../lib/useFocusWhenOpen';
import { useToast } from '../toast';

const RESULTS: Record<BulkResult, { label: string; color: string }> = {
  invited: { label: 'Will be invited', color: 'blue' },
  added: { label: 'Has an account: will be added', color: 'green' },
  already_member: { label: 'Already a member: skipped', color: 'default' },
  invalid: { label: 'Invalid', color: 'red' },
};

/** While a row is invalid nobody is invited: a good row then says only that it is valid. */
const WAITING = { label: 'Valid', color: 'default' };

const people = (count: number) => `${count} ${count === 1 ? 'person' : 'people'}`;

export function BulkInviteButton({ orgId, onInvited }: { orgId: string; onInvited: () => void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // The dialog goes with its state when it closes, too soon for antd to give
  // the focus back (it fell to the body): the button takes it again.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) wasOpen.current = true;
    else if (wasOpen.current) {
      wasOpen.current = false;
      button.current?.focus();
    }
  }, [open]);
  return (
    <>
      <Button ref={button} icon={<UploadOutlined aria-hidden />} onClick={() => setOpen(true)}>Invite from CSV</Button>
      {open && (
        <BulkInviteDialog
          orgId={orgId}
          onClose={() => setOpen(false)}
          onInvited={() => { setOpen(false); onInvited(); }}
        />
      )}
    </>
  );
}

function BulkInviteDialog({ orgId, onClose, onInvited }: { orgId: string; onClose: () => void; onInvited: () => void }) {
  const message = useToast();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<BulkOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // In the file field, not on ×.
  useFocusWhenOpen(true, 'bulk-invite-file');

  const choose = async (file: File | undefined) => {
    setPreview(null);
    setError(null);
    setCsv(null);
    if (!file) return;
    setFileName(file.name);
    setBusy(true);
    try {
      const text = await file.text();
      setCsv(text);
      setPreview(await bulkInvite(orgId, text, true));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const toInvite = preview ? preview.counts.invited + preview.counts.added : 0;
  const invalid = preview?.counts.invalid ?? 0;

  const invite = async () => {
    if (!csv) return;
    setBusy(true);
    setError(null);
    try {
      const done = await bulkInvite(orgId, csv, false);
      if (done.counts.invalid > 0) {
        setPreview(done);
        return;
      }
      const count = done.counts.invited + done.counts.added;
      message.success(`${people(count)} invited${done.counts.already_member ? `; ${done.counts.already_member} already there` : ''}.`);
      onInvited();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Invite from CSV"
      open
      width={760}
      okText={invalid > 0 ? 'Invite' : `Invite ${people(toInvite)}`}
      okButtonProps={{ disabled: !preview || invalid > 0 || toInvite === 0 }}
      onOk={() => void invite()}
      confirmLoading={busy && preview !== null}
      onCancel={onClose}
    >
      <p className="cell-secondary">
        A CSV file with the columns <code>email,name,role,assistants</code>: role is <code>user</code> (the
        default) or <code>admin</code>, assistants are names separated by <code>;</code>. Up to 1,000 rows.
        You see what will happen to each row before anyone is invited.
      </p>
      <label style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 12px', alignItems: 'center', margin: '12px 0' }}>
        <span style={{ whiteSpace: 'nowrap' }}>CSV file</span>
        <input id="bulk-invite-file" type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} disabled={busy} />
      </label>
      {error && <Alert type="error" showIcon role="alert" title={error} className="form-alert" />}
      {preview && invalid > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="form-alert"
          title={`${invalid} of ${preview.results.length} rows in ${fileName} are invalid, so nobody will be invited.`}
          description="Fix those rows and choose the file again."
        />
      )}
      {preview && invalid === 0 && (
        <Alert
          type="info"
          showIcon
          role="status"
          className="form-alert"
          title={`${people(toInvite)} will be invited${preview.counts.already_member ? `; ${preview.counts.already_member} already a member` : ''}.`}
        />
      )}
      {preview && (
        <Table<BulkRowResult>
          size="small"
          rowKey="row"
          dataSource={preview.results}
          pagination={preview.results.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          aria-label="What happens to each row"
          // Three columns, the reasons under the result: the table fits a
          // phone's dialog, and why a row is invalid is never off-screen.
          columns={[
            { title: 'Row', dataIndex: 'row', width: 52 },
            {
              title: 'E-mail', dataIndex: 'email',
              render: (email: string) => <span style={{ overflowWrap: 'anywhere' }}>{email || '—'}</span>,
            },
            {
              title: 'Result', dataIndex: 'result',
              render: (result: BulkResult, item: BulkRowResult) => {
                const shown = invalid > 0 && (result === 'invited' || result === 'added') ? WAITING : RESULTS[result];
                const errors = item.errors ?? [];
                return (
                  <>
                    <Tag color={shown.color} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>{shown.label}</Tag>
                    {errors.length > 0 && (
                      <ul className="reason-list" aria-label={`Why row ${item.row} is invalid`}>
                        {errors.map((error) => <li key={error.field + error.message}>{error.message}</li>)}
                      </ul>
                    )}
                  </>
                );
              },
            },
          ]}
        />
      )}
    </Modal>
  );
}
