ALTER TABLE "selfservice_recovery_flows" DROP COLUMN IF EXISTS "internal_context";
ALTER TABLE "selfservice_verification_flows" DROP COLUMN IF EXISTS "internal_context";
