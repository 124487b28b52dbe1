/** The roles of back-office operators, lowest first (the operators table's CHECK constraint). */
export const OPERATOR_ROLES = ['operator', 'supervisor', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
