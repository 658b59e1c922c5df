import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { useSearchParams } from 'react-router';
import type { RecurringSchedule } from '../../../../shared/domain/invoicing.schema.js';
import { computeDocumentTotals } from '../../../../shared/invoice/invoice-totals.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { useClients } from '../invoicing/ClientPicker.js';
import { FREQUENCY_LABELS, StatusBadge } from '../invoicing/status-labels.js';
import { GenerateDuePanel } from './GenerateDuePanel.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import '../invoicing/invoicing.css';

/** Recurring invoices: schedules, pause and resume, and generating what is due. */
export function RecurringScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const schedules = useQuery({
    queryKey: ['recurring', 'list', {}],
    queryFn: () => coffer().recurring.list({}),
  });
  const clients = useClients();
  const names = new Map((clients.data ?? []).map((c) => [c.id, c.name]));
  return (
    <section aria-labelledby="recurring-heading" className="screen">
      <h1 id="recurring-heading">Recurring invoices</h1>
      {params.has('new') ? (
        <ScheduleEditor onDone={() => setParams({})} />
      ) : (
        <div className="button-row">
          <Button variant="primary" onPress={() => setParams({ new: '' })}>
            New schedule
          </Button>
        </div>
      )}
      <GenerateDuePanel />
      {schedules.isPending && <Progress label="Loading schedules" />}
      {schedules.isError && (
        <ErrorMessage error={schedules.error} title="Schedules could not be loaded" />
      )}
      {schedules.data !== undefined &&
        (schedules.data.length === 0 ? (
          <p>No recurring schedules yet.</p>
        ) : (
          <Table aria-label="Recurring schedules" className="table">
            <TableHeader>
              <Column isRowHeader>Client</Column>
              <Column>Every</Column>
              <Column>Next invoice</Column>
              <Column>State</Column>
              <Column className="numeric">Each invoice</Column>
              <Column>Actions</Column>
            </TableHeader>
            <TableBody items={schedules.data}>
              {(schedule) => (
                <Row id={schedule.id}>
                  <Cell>{names.get(schedule.clientId) ?? ''}</Cell>
                  <Cell>
                    {schedule.interval === 1
                      ? FREQUENCY_LABELS[schedule.frequency]
                      : `${FREQUENCY_LABELS[schedule.frequency]} × ${schedule.interval}`}
                  </Cell>
                  <Cell>{formatIsoDate(schedule.nextDate)}</Cell>
                  <Cell>
                    <StatusBadge
                      status={schedule.active ? 'active' : 'paused'}
                      label={schedule.active ? 'Active' : 'Paused'}
                    />
                  </Cell>
                  <Cell className="numeric">
                    <Money
                      minor={computeDocumentTotals(schedule.lines).totalMinor}
                      currency={schedule.currency}
                    />
                  </Cell>
                  <Cell>
                    <ScheduleActions
                      schedule={schedule}
                      name={names.get(schedule.clientId) ?? ''}
                    />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
    </section>
  );
}

function ScheduleActions({
  schedule,
  name,
}: {
  schedule: RecurringSchedule;
  name: string;
}): React.JSX.Element {
  const toggle = useCofferMutation(() =>
    schedule.active
      ? coffer().recurring.pause({ id: schedule.id })
      : coffer().recurring.resume({ id: schedule.id }),
  );
  const label = schedule.active ? 'Pause' : 'Resume';
  return (
    <>
      <Button
        aria-label={`${label} the schedule for ${name}`}
        isPending={toggle.isPending}
        onPress={() => toggle.mutate(undefined)}
      >
        {label}
      </Button>
      {toggle.isError && <ErrorMessage error={toggle.error} title="The schedule was not changed" />}
    </>
  );
}
