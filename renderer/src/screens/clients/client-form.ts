import * as z from 'zod';
import {
  ClientSchema,
  type Client,
  type ClientInput,
} from '../../../../shared/domain/invoicing.schema.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';

/** The client form: the shared client fields, with empty text meaning "none". */
export const ClientFormSchema = z.object({
  name: ClientSchema.shape.name,
  email: z.union([z.literal(''), z.email('must be an email address')]),
  phone: z.string().trim().max(50),
  address: z.string().trim().max(10_000),
  taxId: z.string().trim().max(100),
  defaultCurrency: z.union([
    z.literal(''),
    z.string().trim().toUpperCase().pipe(CurrencyCodeSchema),
  ]),
  notes: z.string().max(10_000),
});
export type ClientFormValues = z.input<typeof ClientFormSchema>;

export const EMPTY_CLIENT: ClientFormValues = {
  name: '',
  email: '',
  phone: '',
  address: '',
  taxId: '',
  defaultCurrency: '',
  notes: '',
};

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

export function toClientInput(values: z.output<typeof ClientFormSchema>): ClientInput {
  return {
    name: values.name,
    email: orNull(values.email),
    phone: orNull(values.phone),
    address: orNull(values.address),
    taxId: orNull(values.taxId),
    defaultCurrency: orNull(values.defaultCurrency),
    notes: values.notes,
  };
}

export function toClientForm(client: Client): ClientFormValues {
  return {
    name: client.name,
    email: client.email ?? '',
    phone: client.phone ?? '',
    address: client.address ?? '',
    taxId: client.taxId ?? '',
    defaultCurrency: client.defaultCurrency ?? '',
    notes: client.notes,
  };
}
