/** The npm name of this package. Placeholder export until the real API lands. */
export const PACKAGE_NAME = "@chrony/scenarios" as const;
