using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Web;

// The storage and workflow integration tests again, on PostgreSQL: every query path of the API, the jobs and the
// start-up recovery (case, dates, JSON and GUID handling differ between the providers). One at a time, see PostgresCollection.

[Collection(PostgresCollection.Name)]
public sealed class FullWorkflowOnPostgresTests() : FullWorkflowTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class SeedWorkflowOnPostgresTests() : SeedWorkflowTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class ProfileApiOnPostgresTests() : ProfileApiTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class ImportApiOnPostgresTests() : ImportApiTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class ImportedWorkflowOnPostgresTests() : ImportedWorkflowTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class BatchApiOnPostgresTests() : BatchApiTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class RestartRecoveryOnPostgresTests() : RestartRecoveryTests(TestDatabase.NewPostgres());

[Collection(PostgresCollection.Name)]
public sealed class AuditTrailOnPostgresTests() : AuditTrailTests(TestDatabase.NewPostgres());
