# frozen_string_literal: true

require_relative "test_helper"
require "authy"

# The usage examples of the official authy-ruby README (3.x; older 2.x hash-rocket forms too),
# run UNCHANGED against the sandbox: only the configuration points at the sandbox, and `user` /
# `@user` stand for the application's user record, as in the README's own text.
class TestReadmeExamples < Minitest::Test
  AppUser = Struct.new(:authy_id, :email)

  def setup
    Authy.api_key = api_key   # README: Authy.api_key = 'your-api-key'
    Authy.api_uri = base_url  # README: Authy.api_uri = 'https://api.authy.com'
  end

  def test_registering_a_user
    # --- README, unchanged ---
    authy = Authy::API.register_user(
      email: 'users@email.com',
      cellphone: "111-111-1111",
      country_code: "1"
    )

    if authy.ok?
      authy.id # this is the authy id that you need to store in your database
    else
      authy.errors # this will return an error hash
    end
    # ---
    assert authy.ok?, authy.errors.inspect
    assert_kind_of Integer, authy.id
  end

  def test_verifying_a_user
    user = registered_user
    # --- README, unchanged ---
    response = Authy::API.verify(id: user.authy_id, token: 'token-user-entered')

    if response.ok?
      # token was valid, user can sign in
    else
      # token is invalid
    end
    # ---
    refute response.ok?, "the README's placeholder is not a token"
    Authy::API.request_sms(id: user.authy_id, force: true)
    token_user_entered = last_code(user.authy_id)
    response = Authy::API.verify(id: user.authy_id, token: token_user_entered)
    assert response.ok?
  end

  def test_requesting_sms_and_phone_call_tokens
    user = registered_user
    # --- README, unchanged ---
    response = Authy::API.request_sms(id: user.authy_id)

    if response.ok?
      # sms was sent
    else
      response.errors
      #sms failed to send
    end
    # ---
    assert response.ok?
    # --- README, unchanged ---
    response = Authy::API.request_sms(id: user.authy_id, force: true)
    # ---
    assert response.ok?
    # --- README, unchanged ---
    response = Authy::API.request_phone_call(id: user.authy_id)

    if response.ok?
      # call was done
    else
      response.errors
      # call failed
    end
    # ---
    assert response.ok?
    assert_equal "call", control("GET", "/sandbox/users/#{user.authy_id}/last_code")["via"]
  end

  def test_qr_code_email_status_and_delete
    user = registered_user
    # --- README, unchanged ---
    response = Authy::API.request_qr_code(
      id: user.authy_id,
      qr_size: 300, # Pixel size of the QR code, optional
      qr_label: "Example app" # Label shown in the authenticator app, optional
    )

    if response.ok?
      response.qr_code # the URL of the QR code image
    end
    # ---
    assert_match(%r{\Ahttps?://}, response.qr_code)
    # --- README, unchanged ---
    response = Authy::API.request_email(id: user.authy_id)
    # ---
    assert response.ok?
    # --- README, unchanged ---
    response = Authy::API.update_user(id: user.authy_id, email: "new-email@example.com")
    # ---
    assert response.ok?
    # --- README, unchanged ---
    response = Authy::API.user_status(id: user.authy_id)
    # ---
    assert response.ok?
    assert_equal "new-email@example.com", response["status"]["email"]
    # --- README, unchanged ---
    response = Authy::API.delete_user(id: user.authy_id)

    if response.ok?
      # the user was deleted
    end
    # ---
    assert response.ok?
  end

  def test_phone_verification
    # --- README, unchanged ---
    response = Authy::PhoneVerification.start(
      via: "sms",
      country_code: 1,
      phone_number: "111-111-1111"
    )

    if response.ok?
      # verification was started
    end
    # ---
    # 111-111-1111 is not a valid North American number: the API may refuse it (ok? false with
    # "Phone number is invalid"); either way a response object comes back, never an exception.
    assert_kind_of Authy::Response, response
    # --- README, unchanged ---
    response = Authy::PhoneVerification.check(
      verification_code: "1234",
      country_code: 1,
      phone_number: "111-111-1111"
    )

    if response.ok?
      # verification was successful
    end
    # ---
    assert_kind_of Authy::Response, response
    assert_includes [true, false], response.ok?
  end

  def test_onetouch
    @user = registered_user
    # --- README, unchanged ---
    one_touch = Authy::OneTouch.send_approval_request(
      id: @user.authy_id,
      message: "Request to Login to Twilio demo app",
      details: {
        'Email Address' => @user.email,
      },
      hidden_details: { ip: '1.1.1.1' },
      seconds_to_expire: 300
    )

    one_touch.ok?
    # ---
    assert one_touch.ok?, one_touch.errors.inspect
    decide(one_touch.approval_request["uuid"], "approve")
    # --- README, unchanged ---
    response = Authy::OneTouch.approval_request_status(
      uuid: one_touch.approval_request['uuid']
    )

    response.ok?
    response['approval_request']['status'] # pending, approved, denied or expired
    # ---
    assert response.ok?
    assert_equal "approved", response['approval_request']['status']
  end

  def test_authy_ruby_2_hash_rocket_forms
    # --- README (2.x), unchanged ---
    authy = Authy::API.register_user(:email => 'users@email.com', :cellphone => "111-111-1111", :country_code => "1")
    # ---
    assert authy.ok?
    user = AppUser.new(authy.id, "users@email.com")
    # --- README (2.x), unchanged ---
    response = Authy::API.verify(:id => user.authy_id, :token => 'token-user-entered', :force => true)
    # ---
    refute response.ok?
    # --- README (2.x), unchanged ---
    response = Authy::API.request_sms(:id => user.authy_id, :force => true)
    # ---
    assert response.ok?
    # --- README (2.x), unchanged ---
    response = Authy::API.request_phone_call(:id => user.authy_id, :force => true)
    # ---
    assert response.ok?
  end

  private

  def registered_user
    email = "readme-#{rand(1 << 30)}@example.com"
    AppUser.new(Authy::API.register_user(email: email, cellphone: fresh_phone, country_code: "1").id, email)
  end
end
