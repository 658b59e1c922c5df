/**
 * The names of every `window.coffer` service and method, without their input schemas:
 * what a page needs to build its API object. The page's first script carries this table
 * instead of `COFFER_API`, so it starts without zod and every schema of the app (the core
 * validates each call's input by `COFFER_API` anyway). The type below makes this table
 * list exactly the table's names: a method added to `COFFER_API` and not here, or named
 * here and missing there, fails to compile.
 */
import type { CofferApiTable, ServiceName } from './coffer-api.js';

type NameTable = {
  readonly [S in ServiceName]: { readonly [M in keyof CofferApiTable[S]]: true };
};

export const COFFER_API_NAMES = {
  app: {
    status: true,
    createVault: true,
    openVault: true,
    closeVault: true,
    restoreBackup: true,
    recoverVault: true,
  },
  uploads: { begin: true, append: true, discard: true },
  lock: {
    status: true,
    unlock: true,
    lockNow: true,
    activity: true,
    setPasscode: true,
    changePasscode: true,
    removePasscode: true,
    setIdleMinutes: true,
    setOsUnlock: true,
    resetWithRecoveryKey: true,
  },
  settings: {
    getProfile: true,
    updateProfile: true,
    setLogo: true,
    removeLogo: true,
    logo: true,
    getPreferences: true,
    updatePreferences: true,
  },
  documents: { invoicePdf: true, quotePdf: true },
  accounts: {
    list: true,
    get: true,
    create: true,
    update: true,
    archive: true,
    unarchive: true,
    delete: true,
  },
  balances: { list: true },
  categories: { list: true, create: true, update: true, archive: true, delete: true },
  transactions: { list: true, get: true, create: true, update: true, delete: true },
  budgets: { list: true, set: true, remove: true, report: true },
  reviews: { list: true, count: true, resolve: true },
  rules: { list: true, add: true, remove: true },
  clients: { list: true, get: true, create: true, update: true, delete: true },
  invoices: {
    list: true,
    get: true,
    createDraft: true,
    updateDraft: true,
    issue: true,
    pay: true,
    void: true,
    deleteDraft: true,
  },
  payments: { delete: true },
  quotes: {
    list: true,
    get: true,
    create: true,
    update: true,
    send: true,
    accept: true,
    decline: true,
    convert: true,
    deleteDraft: true,
  },
  recurring: {
    list: true,
    get: true,
    create: true,
    pause: true,
    resume: true,
    delete: true,
    generateDue: true,
  },
  contracts: {
    list: true,
    get: true,
    create: true,
    attachFile: true,
    send: true,
    sign: true,
    void: true,
    delete: true,
    readFile: true,
  },
  receipts: {
    list: true,
    get: true,
    create: true,
    linkTransaction: true,
    delete: true,
    readFile: true,
  },
  imports: { preview: true, run: true },
  reports: {
    dashboard: true,
    cashFlow: true,
    agedReceivables: true,
    revenueByClient: true,
    taxSummary: true,
  },
  exports: { vaultJson: true, transactionsCsv: true, backup: true },
  sync: {
    probeServer: true,
    signUp: true,
    signInStart: true,
    signInSendEmailCode: true,
    signInSecondFactor: true,
    signInWithRecoveryKey: true,
    signInCancel: true,
    status: true,
    syncNow: true,
    signOut: true,
  },
  workspace: { create: true, join: true },
  security: {
    stepUpOptions: true,
    sendStepUpEmailCode: true,
    stepUp: true,
    revokeOtherSessions: true,
  },
} as const satisfies NameTable;
