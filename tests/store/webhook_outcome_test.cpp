// A webhook attempt records its outcome only while its claim holds: the
// lease it took, on the delivery and the endpoint it claimed. An attempt
// that outlived its lease (another sender claimed again), or whose
// endpoint was deleted meanwhile, writes nothing: on SQLite the deleted
// rows' IDs go to the next rows inserted, another organization's included.
#include <optional>
#include <vector>

#include "store/organizations.hpp"
#include "store/webhooks.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

namespace webhooks = store::webhooks;

class WebhookOutcomeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      acme_ = store::InsertOrganization(tx, "Acme", now);
      beta_ = store::InsertOrganization(tx, "Beta", now);
      acme_endpoint_ = AddWebhookEndpoint(tx, acme_, {"*"}, now);
      acme_delivery_ =
          webhooks::InsertDelivery(tx, acme_, acme_endpoint_, 7, "member.invited", "{}", now);
    });
  }

  std::optional<webhooks::Claim> Claim(UnixSeconds now, int lease_seconds) {
    Result<std::optional<webhooks::Claim>> claim =
        webhooks::ClaimNext(*database_, now, lease_seconds, 2);
    EXPECT_TRUE(claim.ok()) << claim.problem().internal;
    return claim.ok() ? *claim : std::nullopt;
  }

  template <class T, class Write>
  T InWrite(Write write) {
    Result<T> done = database_->Write<T>([&](store::Tx& tx) -> Result<T> { return write(tx); });
    EXPECT_TRUE(done.ok()) << done.problem().internal;
    return done.ok() ? *done : T{};
  }

  std::optional<webhooks::Delivery> Delivery(Id organization_id, Id endpoint_id, Id delivery_id) {
    return InWrite<std::optional<webhooks::Delivery>>([&](store::Tx& tx) {
      return webhooks::FindDelivery(tx, organization_id, endpoint_id, delivery_id);
    });
  }

  Id acme_ = 0, beta_ = 0, acme_endpoint_ = 0, acme_delivery_ = 0;
};

TEST_F(WebhookOutcomeTest, AnAttemptOfADeletedEndpointTouchesNoOtherOrganizationsDelivery) {
  UnixSeconds now = clock_.Now();
  std::optional<webhooks::Claim> claim = Claim(now, 60);
  ASSERT_TRUE(claim);
  ASSERT_EQ(claim->delivery.id, acme_delivery_);
  // Acme deletes its endpoint while the attempt runs; Beta's next delivery
  // (on SQLite, with the deleted delivery's ID) is claimed by another sender.
  Id beta_endpoint = 0, beta_delivery = 0;
  InWrite<bool>([&](store::Tx& tx) {
    webhooks::DeleteEndpoint(tx, acme_, acme_endpoint_);
    beta_endpoint = AddWebhookEndpoint(tx, beta_, {"*"}, now);
    beta_delivery = webhooks::InsertDelivery(tx, beta_, beta_endpoint, 9, "member.invited", "{}",
                                             now);
    return true;
  });
  std::optional<webhooks::Claim> beta_claim = Claim(now, 60);
  ASSERT_TRUE(beta_claim);
  EXPECT_EQ(beta_claim->delivery.id, beta_delivery);

  EXPECT_FALSE(InWrite<bool>([&](store::Tx& tx) {
    return webhooks::RecordDelivered(tx, *claim, 200, now + 5);
  }));
  EXPECT_FALSE(InWrite<std::optional<UnixSeconds>>([&](store::Tx& tx) {
    return webhooks::RecordFailed(tx, *claim, 500, "stale", now + 60, now + 5);
  }));
  std::optional<webhooks::Delivery> beta = Delivery(beta_, beta_endpoint, beta_delivery);
  ASSERT_TRUE(beta);
  EXPECT_EQ(beta->status, webhooks::DeliveryStatus::kPending);
  EXPECT_FALSE(beta->last_status_code);
  EXPECT_FALSE(beta->last_error);
  // Beta's own attempt still records its outcome.
  EXPECT_TRUE(InWrite<bool>([&](store::Tx& tx) {
    return webhooks::RecordDelivered(tx, *beta_claim, 204, now + 6);
  }));
  EXPECT_EQ(Delivery(beta_, beta_endpoint, beta_delivery)->status,
            webhooks::DeliveryStatus::kDelivered);
}

TEST_F(WebhookOutcomeTest, AnAttemptThatOutlivedItsLeaseLeavesTheNextClaimAlone) {
  UnixSeconds now = clock_.Now();
  std::optional<webhooks::Claim> slow = Claim(now, 10);
  ASSERT_TRUE(slow);
  // Its lease ran out: another sender claims the same delivery again.
  std::optional<webhooks::Claim> again = Claim(now + 11, 10);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->delivery.id, slow->delivery.id);

  EXPECT_FALSE(InWrite<std::optional<UnixSeconds>>([&](store::Tx& tx) {
    return webhooks::RecordFailed(tx, *slow, std::nullopt, "timed out", now + 30, now + 12);
  }));
  // The endpoint is still leased to the second attempt: nobody claims it.
  EXPECT_FALSE(Claim(now + 12, 10));
  EXPECT_TRUE(InWrite<bool>([&](store::Tx& tx) {
    return webhooks::RecordDelivered(tx, *again, 200, now + 13);
  }));
  std::optional<webhooks::Delivery> delivery = Delivery(acme_, acme_endpoint_, acme_delivery_);
  ASSERT_TRUE(delivery);
  EXPECT_EQ(delivery->status, webhooks::DeliveryStatus::kDelivered);
  EXPECT_EQ(delivery->last_status_code, 200);
  EXPECT_FALSE(delivery->last_error);
}

// One organization's endpoints in flight hold at most `per_organization`
// senders: with its slow or hanging endpoints busy, another organization's
// delivery is still claimed, and the first organization's next one waits.
TEST_F(WebhookOutcomeTest, OneOrganizationsEndpointsHoldAtMostItsShareOfTheSenders) {
  UnixSeconds now = clock_.Now();
  Id beta_endpoint = 0;
  InWrite<bool>([&](store::Tx& tx) {
    for (int i = 0; i < 2; ++i) {
      Id endpoint = AddWebhookEndpoint(tx, acme_, {"*"}, now);
      webhooks::InsertDelivery(tx, acme_, endpoint, 10 + i, "member.invited", "{}", now);
    }
    beta_endpoint = AddWebhookEndpoint(tx, beta_, {"*"}, now);
    webhooks::InsertDelivery(tx, beta_, beta_endpoint, 20, "member.invited", "{}", now);
    return true;
  });
  const int per_organization = 2;
  std::vector<Id> claimed;
  for (int i = 0; i < 4; ++i) {
    Result<std::optional<webhooks::Claim>> claim =
        webhooks::ClaimNext(*database_, now, 60, per_organization);
    ASSERT_TRUE(claim.ok()) << claim.problem().internal;
    if (*claim) claimed.push_back((*claim)->endpoint.organization_id);
  }
  // Acme's first two (in endpoint order), then Beta's; Acme's third waits.
  EXPECT_EQ(claimed, (std::vector<Id>{acme_, acme_, beta_}));
  Result<bool> due = webhooks::AnyDue(*database_, now, per_organization);
  ASSERT_TRUE(due.ok());
  EXPECT_FALSE(*due) << "idle senders would keep trying Acme's third endpoint";
  // Once Acme's leases end, its third endpoint is claimed.
  Result<std::optional<webhooks::Claim>> later =
      webhooks::ClaimNext(*database_, now + 61, 60, per_organization);
  ASSERT_TRUE(later.ok() && *later);
  EXPECT_EQ((*later)->endpoint.organization_id, acme_);
}

}  // namespace
}  // namespace roster::testing
