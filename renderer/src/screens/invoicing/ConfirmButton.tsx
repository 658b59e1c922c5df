import { Dialog, DialogTrigger, Heading, Modal } from 'react-aria-components';
import { Button } from '../../ui/Button.js';

/** A button that asks first, in a modal dialog, before doing something it cannot undo. */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  onConfirm,
  isPending,
  ariaLabel,
}: {
  label: string;
  /** The button's name when `label` alone is not unique on the screen. */
  ariaLabel?: string;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  isPending?: boolean;
}): React.JSX.Element {
  return (
    <DialogTrigger>
      <Button
        variant="danger"
        isPending={isPending ?? false}
        {...(ariaLabel === undefined ? {} : { 'aria-label': ariaLabel })}
      >
        {label}
      </Button>
      <Modal className="modal" isDismissable>
        <Dialog className="dialog" role="alertdialog">
          {({ close }) => (
            <>
              <Heading slot="title">{title}</Heading>
              <p>{body}</p>
              <div className="button-row">
                <Button onPress={close}>Cancel</Button>
                <Button
                  variant="danger"
                  onPress={() => {
                    onConfirm();
                    close();
                  }}
                >
                  {confirmLabel}
                </Button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}
