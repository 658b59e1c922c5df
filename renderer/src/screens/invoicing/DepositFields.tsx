import { FormTextField } from '../../ui/FormTextField.js';

/** The deposit a document asks for first: an amount or a percentage, and when it is due. */
export function DepositFields(): React.JSX.Element {
  return (
    <div className="form-row">
      <FormTextField
        name="deposit"
        label="Deposit requested"
        description="An amount, or a percentage of the total such as 30%; empty: none"
      />
      <FormTextField
        name="depositDueDate"
        label="Deposit due"
        type="date"
        description="On or before the invoice's due date"
      />
    </div>
  );
}
