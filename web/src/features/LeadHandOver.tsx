// The part of the removal and deactivation dialogs that hands a leaving
// member's leads over: how many he owns per assistant, and "Give the leads
// to", optional when the organization's offboarding policy can place them.
import Table from 'antd/es/table';
import Typography from 'antd/es/typography';
import type { Member, RemovalPreview } from '../api/types';
import { ChoiceField } from '../components/ChoiceField';
import { MemberSelect } from '../components/MemberSelect';
import { plural } from '../lib/format';
import type { Assistants } from '../lib/useAssistants';
import type { Choice } from '../lib/useChoice';

export function LeadHandOver({ id, orgId, member, preview, assistants, receiver, byPolicy }: {
  /** The id of the receiver field. */
  id: string;
  orgId: string;
  member: Member;
  preview: RemovalPreview;
  assistants: Assistants;
  receiver: Choice;
  /** Where the policy sends the leads (see policySentence), or null. */
  byPolicy: string | null;
}) {
  return (
    <>
      <Typography.Paragraph>
        {member.name} owns <strong>{plural(preview.lead_count, 'lead')}</strong>:
      </Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="assistant_id"
        className="form-alert"
        loading={assistants.loading}
        dataSource={preview.by_assistant}
        columns={[
          { title: 'Assistant', dataIndex: 'assistant_id', render: (assistantId: string) => assistants.nameOf(assistantId) },
          { title: 'Leads', dataIndex: 'lead_count', align: 'right', width: 100 },
        ]}
      />
      <ChoiceField
        choice={receiver}
        id={id}
        label="Give the leads to"
        required={!byPolicy}
        missingText="Choose who receives the leads, or set an offboarding policy in Settings."
        help={byPolicy
          ? 'Optional: leave empty to follow the offboarding policy.'
          : 'An active member. They are added to any of these assistants they are not on yet.'}
      >
        <MemberSelect
          id={id}
          orgId={orgId}
          status="active"
          allowClear
          exclude={[member.user_id]}
          value={receiver.chosen}
          onChange={(value: string | undefined) => receiver.choose(value ?? '')}
          placeholder={byPolicy ? 'By the offboarding policy' : 'Search active members'}
        />
      </ChoiceField>
    </>
  );
}
